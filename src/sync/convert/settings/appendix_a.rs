//! The test-only list of JupiterOne's user-settings property names, which
//! the settings tests check [`super::flatten_user_settings`] against. Kept
//! out of the binary: only `cfg(test)` compiles it.

/// JupiterOne's `zoom_user` settings properties, as (property, JSON path),
/// from the Zoom integration's documentation
/// (<https://github.com/JupiterOne/graph-zoom/blob/main/docs/jupiterone.md>). [`super::flatten_user_settings`] produces each of them
/// by the naming rule or, for the names the rule cannot produce, from
/// [`super::JUPITERONE_QUIRKS`]; the tests check both against this list.
pub(super) const APPENDIX_A: &[(&str, &str)] = &[
    ("scheduleMeetingHostVideo", "schedule_meeting.host_video"),
    (
        "scheduleMeetingParticipantsVideo",
        "schedule_meeting.participants_video",
    ),
    ("scheduleMeetingAudioType", "schedule_meeting.audio_type"),
    (
        "scheduleMeetingJoinBeforeHost",
        "schedule_meeting.join_before_host",
    ),
    (
        "scheduleMeetingForcePmiJbhPassword",
        "schedule_meeting.force_pmi_jbh_password",
    ),
    (
        "scheduleMeetingPstnPasswordProtected",
        "schedule_meeting.pstn_password_protected",
    ),
    (
        "scheduleMeetingUsePmiForScheduledMeetings",
        "schedule_meeting.use_pmi_for_scheduled_meetings",
    ),
    (
        "scheduleMeetingUsePmiForInstantMeetings",
        "schedule_meeting.use_pmi_for_instant_meetings",
    ),
    (
        "scheduleMeetingRequirePasswordForScheduledmeetings",
        "schedule_meeting.require_password_for_scheduled_meetings",
    ),
    (
        "scheduleMeetingDefaultPasswordForScheduledMeetings",
        "schedule_meeting.default_password_for_scheduled_meetings",
    ),
    (
        "scheduleMeetingRequirePasswordForInstantMeetings",
        "schedule_meeting.require_password_for_instant_meetings",
    ),
    (
        "scheduleMeetingRequirePasswordForPmiMeetings",
        "schedule_meeting.require_password_for_pmi_meetings",
    ),
    (
        "scheduleMeetingPmiPassword",
        "schedule_meeting.pmi_password",
    ),
    (
        "scheduleMeetingEmbedPasswordInJoinLink",
        "schedule_meeting.embed_password_in_join_link",
    ),
    (
        "scheduleMeetingMeetingPasswordRequirementLength",
        "schedule_meeting.meeting_password_requirement.length",
    ),
    (
        "scheduleMeetingMeetingPasswordRequirementHaveLetter",
        "schedule_meeting.meeting_password_requirement.have_letter",
    ),
    (
        "scheduleMeetingMeetingPasswordRequirementHaveNumber",
        "schedule_meeting.meeting_password_requirement.have_number",
    ),
    (
        "scheduleMeetingMeetingPasswordRequirementHaveSpecialCharacter",
        "schedule_meeting.meeting_password_requirement.have_special_character",
    ),
    (
        "scheduleMeetingMeetingPasswordRequirementOnlyAllowNumeric",
        "schedule_meeting.meeting_password_requirement.only_allow_numeric",
    ),
    (
        "scheduleMeetingMeetingPasswordRequirementHaveUpperAndLowerCharacters",
        "schedule_meeting.meeting_password_requirement.have_upper_and_lower_characters",
    ),
    (
        "scheduleMeetingMeetingPasswordRequirementConsecutiveCharactersLength",
        "schedule_meeting.meeting_password_requirement.consecutive_characters_length",
    ),
    (
        "scheduleMeetingMeetingPasswordRequirementWeakEnhanceDetection",
        "schedule_meeting.meeting_password_requirement.weak_enhance_detection",
    ),
    (
        "scheduleMeetingPersonalMeeting",
        "schedule_meeting.personal_meeting",
    ),
    (
        "scheduleMeetingRequirePasswordForSchedulingNewMeetings",
        "schedule_meeting.require_password_for_scheduling_new_meetings",
    ),
    (
        "scheduleMeetingMuteUponEntry",
        "schedule_meeting.mute_upon_entry",
    ),
    ("inMeetingAttendeeOnHold", "in_meeting.attendee_on_hold"),
    ("inMeetingE2eEncryption", "in_meeting.e2e_encryption"),
    ("inMeetingChat", "in_meeting.chat"),
    (
        "inMeetingAllowParticipantsChatWith",
        "in_meeting.allow_participants_chat_with",
    ),
    (
        "inMeetingAllowUsersSaveChats",
        "in_meeting.allow_users_save_chats",
    ),
    ("inMeetingPrivateChat", "in_meeting.private_chat"),
    ("inMeetingAutoSavingChat", "in_meeting.auto_saving_chat"),
    ("inMeetingEntryExitChime", "in_meeting.entry_exit_chime"),
    ("inMeetingRecordPlayVoice", "in_meeting.record_play_voice"),
    ("inMeetingFeedbacl", "in_meeting.feedback"),
    ("inMeetingCoHost", "in_meeting.co_host"),
    ("inMeetingPolling", "in_meeting.polling"),
    ("inMeetingAnnotation", "in_meeting.annotation"),
    ("inMeetingRemoteControl", "in_meeting.remote_control"),
    (
        "inMeetingNonVerbalFeedback",
        "in_meeting.non_verbal_feedback",
    ),
    ("inMeetingBreakoutRoom", "in_meeting.breakout_room"),
    (
        "inMeetingBreakoutRoomSchedule",
        "in_meeting.breakout_room_schedule",
    ),
    ("inMeetingRemoteSupport", "in_meeting.remote_support"),
    ("inMeetingClosedCaption", "in_meeting.closed_caption"),
    ("inMeetingGroupHd", "in_meeting.group_hd"),
    (
        "inMeetingVirtualBackground",
        "in_meeting.virtual_background",
    ),
    (
        "inMeetingVirtualBackgroundSettingsEnable",
        "in_meeting.virtual_background_settings.enable",
    ),
    (
        "inMeetingVirtualBackgroundSettingsAllowVideos",
        "in_meeting.virtual_background_settings.allow_videos",
    ),
    (
        "inMeetingVirtualBackgroundSettingsAllowUploadCustom",
        "in_meeting.virtual_background_settings.allow_upload_custom",
    ),
    (
        "inMeetingFarEndCameraControl",
        "in_meeting.far_end_camera_control",
    ),
    ("inMeetingShareDualCamera", "in_meeting.share_dual_camera"),
    ("inMeetingWaitingRoom", "in_meeting.waiting_room"),
    (
        "inMeetingAllowLiveStreaming",
        "in_meeting.allow_live_streaming",
    ),
    (
        "inMeetingLiveStreamingFacebook",
        "in_meeting.live_streaming_facebook",
    ),
    (
        "inMeetingWorkplaceByFacebook",
        "in_meeting.workplace_by_facebook",
    ),
    (
        "inMeetingLiveStreamingYoutube",
        "in_meeting.live_streaming_youtube",
    ),
    (
        "inMeetingCustomLiveStreamingService",
        "in_meeting.custom_live_streaming_service",
    ),
    (
        "inMeetingCustomServiceInstructions",
        "in_meeting.custom_service_instructions",
    ),
    (
        "inMeetingShowMeetingControlToolbar",
        "in_meeting.show_meeting_control_toolbar",
    ),
    (
        "inMeetingCustomDataCenterRegions",
        "in_meeting.custom_data_center_regions",
    ),
    (
        "inMeetingDataCenterRegions",
        "in_meeting.data_center_regions",
    ),
    ("inMeetingMeetingReactions", "in_meeting.meeting_reactions"),
    ("inMeetingScreenSharing", "in_meeting.screen_sharing"),
    (
        "inMeetingWhoCanShareScreen",
        "in_meeting.who_can_share_screen",
    ),
    (
        "inMeetingWhoCanShareScreenWhenSomeoneIsSharing",
        "in_meeting.who_can_share_screen_when_someone_is_sharing",
    ),
    ("inMeetingFileTransfer", "in_meeting.file_transfer"),
    (
        "inMeetingRequestPermissionToUnmute",
        "in_meeting.request_permission_to_unmute",
    ),
    (
        "inMeetingAllowParticipantsToRename",
        "in_meeting.allow_participants_to_rename",
    ),
    (
        "inMeetingRequestPermissionToUnmuteParticipants",
        "in_meeting.request_permission_to_unmute_participants",
    ),
    (
        "inMeetingShowAJoinFromYourBrowserLink",
        "in_meeting.show_a_join_from_your_browser_link",
    ),
    ("inMeetingJoinFromMobile", "in_meeting.join_from_mobile"),
    ("inMeetingJoinFromDesktop", "in_meeting.join_from_desktop"),
    (
        "inMeetingWebinarLiveStreamingEnable",
        "in_meeting.webinar_live_streaming.enable",
    ),
    (
        "inMeetingWebinarLiveStreamingLiveStreamingService",
        "in_meeting.webinar_live_streaming.live_streaming_service",
    ),
    (
        "inMeetingWebinarLiveStreamingCustomServiceInstructions",
        "in_meeting.webinar_live_streaming.custom_service_instructions",
    ),
    (
        "inMeetingWebinarLiveStreamingLiveStreamingReminder",
        "in_meeting.webinar_live_streaming.live_streaming_reminder",
    ),
    (
        "inMeetingWebinarChatEnable",
        "in_meeting.webinar_chat.enable",
    ),
    (
        "inMeetingWebinarChatAllowPanelistsChatWith",
        "in_meeting.webinar_chat.allow_panelists_chat_with",
    ),
    (
        "inMeetingWebinarChatAllowAttendeesChatWith",
        "in_meeting.webinar_chat.allow_attendees_chat_with",
    ),
    (
        "inMeetingWebinarChatDefaultAttendeesChatWith",
        "in_meeting.webinar_chat.default_attendees_chat_with",
    ),
    (
        "inMeetingWebinarChatAllowPanelistsSendDirectMessage",
        "in_meeting.webinar_chat.allow_panelists_send_direct_message",
    ),
    (
        "inMeetingWebinarChatAllowUsersSaveChats",
        "in_meeting.webinar_chat.allow_users_save_chats",
    ),
    (
        "inMeetingWebinarChatAllowAutoSaveLocalChatFile",
        "in_meeting.webinar_chat.allow_auto_save_local_chat_file",
    ),
    (
        "emailNotificationCloudRecordingAvailableReminder",
        "email_notification.cloud_recording_available_reminder",
    ),
    (
        "emailNotificationJbhReminder",
        "email_notification.jbh_reminder",
    ),
    (
        "emailNotificationCancelMeetingReminder",
        "email_notification.cancel_meeting_reminder",
    ),
    (
        "emailNotificationAlternativeHostReminder",
        "email_notification.alternative_host_reminder",
    ),
    (
        "emailNotificationScheduleForReminder",
        "email_notification.schedule_for_reminder",
    ),
    ("recordingLocalRecording", "recording.local_recording"),
    ("recordingCloudRecording", "recording.cloud_recording"),
    (
        "recordingRecordSpeakerView",
        "recording.record_speaker_view",
    ),
    (
        "recordingRecordGalleryView",
        "recording.record_gallery_view",
    ),
    ("recordingRecordAudioFile", "recording.record_audio_file"),
    ("recordingSaveChatText", "recording.save_chat_text"),
    ("recordingShowTimestamp", "recording.show_timestamp"),
    (
        "recordingRecordingAudioTranscript",
        "recording.recording_audio_transcript",
    ),
    ("recordingAutoRecording", "recording.auto_recording"),
    (
        "recordingHostPauseStopRecording",
        "recording.host_pause_stop_recording",
    ),
    ("recordingAutoDeleteCmr", "recording.auto_delete_cmr"),
    (
        "recordingAutoDeleteCmrData",
        "recording.auto_delete_cmr_data",
    ),
    (
        "recordingHostDeleteCloudRecording",
        "recording.host_delete_cloud_recording",
    ),
    (
        "recordingRequirePasswordForSharedCloudRecordings",
        "recording.required_password_for_shared_cloud_recordings",
    ),
    (
        "recordingRecordingDisclaimer",
        "recording.recording_disclaimer",
    ),
    (
        "recordingAskParticipantsToConsentDisclaimer",
        "recording.ask_participants_to_consent_disclaimer",
    ),
    (
        "recordingAskHostToConfirmDisclaimer",
        "recording.ask_host_to_confirm_disclaimer",
    ),
    (
        "recordingRecordingPasswordRequirementLength",
        "recording.recording_password_requirement.length",
    ),
    (
        "recordingRecordingPasswordRequirementHaveLetter",
        "recording.recording_password_requirement.have_letter",
    ),
    (
        "recordingRecordingPasswordRequirementHaveNumber",
        "recording.recording_password_requirement.have_number",
    ),
    (
        "recordingRecordingPasswordRequirementHaveSpecialCharacter",
        "recording.recording_password_requirement.have_special_character",
    ),
    (
        "recordingRecordingPasswordRequirementOnlyAllowNumeric",
        "recording.recording_password_requirement.only_allow_numeric",
    ),
    (
        "recordingIpAddressAccessControlEnable",
        "recording.ip_address_access_control.enable",
    ),
    (
        "recordingIpAddressAccessControlIpAddressesOrRanges",
        "recording.ip_address_access_control.ip_addresses_or_ranges",
    ),
    ("telephonyThirdPartyAudio", "telephony.third_party_audio"),
    (
        "telephonyAudioConferenceInfo",
        "telephony.audio_conference_info",
    ),
    (
        "telephonyShowInternationalNumbersLink",
        "telephony.show_international_numbers_link",
    ),
    (
        "telephonyTelephonyRegionsAllowedValues",
        "telephony.telephony_regions.allowed_values",
    ),
    (
        "telephonyTelephonyRegionsSelectionValue",
        "telephony.telephony_regions.selection_value",
    ),
    ("featureMeetingCapacity", "feature.meeting_capacity"),
    ("featureLargeMeeting", "feature.large_meeting"),
    (
        "featureLargeMeetingCapacity",
        "feature.large_meeting_capacity",
    ),
    ("featureWebinar", "feature.webinar"),
    ("featureWebinarCapacity", "feature.webinar_capacity"),
    ("featureZoomEvents", "feature.zoom_events"),
    ("featureZoomEventsCapacity", "feature.zoom_events_capacity"),
    ("featureCnMeeting", "feature.cn_meeting"),
    ("featureInMeeting", "feature.in_meeting"),
    ("featureZoomPhone", "feature.zoom_phone"),
    ("featureConcurrentMeeting", "feature.concurrent_meeting"),
    ("tspCallOut", "tsp.call_out"),
    ("tspCallOutCountries", "tsp.call_out_countries"),
    (
        "tspShowInternationalNumbersLink",
        "tsp.show_international_numbers_link",
    ),
    (
        "profileRecordingStorageLocationAllowedValues",
        "profile.recording_storage_location.allowed_values",
    ),
    (
        "profileRecordingStorageLocationValue",
        "profile.recording_storage_location.value",
    ),
    (
        "audioConferencingTollFreeAndFeeBasedTollCallEnable",
        "audio_conferencing.toll_free_and_fee_based_toll_call.enable",
    ),
    (
        "audioConferencingTollFreeAndFeeBasedTollCallAllowWebinarAttendeesDial",
        "audio_conferencing.toll_free_and_fee_based_toll_call.allow_webinar_attendees_dial",
    ),
    ("meetingAuthentication", "meeting_authentication"),
    ("recordingAuthentication", "recording_authentication"),
    (
        "meetingSecurityEmbedPasswordInJoinLink",
        "meeting_security.embed_password_in_join_link",
    ),
    (
        "meetingSecurityEndToEndEncryptedMeetings",
        "meeting_security.end_to_end_encrypted_meetings",
    ),
    (
        "meetingSecurityEncryptionType",
        "meeting_security.encryption_type",
    ),
    (
        "meetingSecurityMeetingPassword",
        "meeting_security.meeting_password",
    ),
    (
        "meetingSecurityMeetingPasswordRequirementLength",
        "meeting_security.meeting_password_requirement.length",
    ),
    (
        "meetingSecurityMeetingPasswordRequirementHaveLetter",
        "meeting_security.meeting_password_requirement.have_letter",
    ),
    (
        "meetingSecurityMeetingPasswordRequirementHaveNumber",
        "meeting_security.meeting_password_requirement.have_number",
    ),
    (
        "meetingSecurityMeetingPasswordRequirementHaveSpecialCharacter",
        "meeting_security.meeting_password_requirement.have_special_character",
    ),
    (
        "meetingSecurityMeetingPasswordRequirementOnlyAllowNumeric",
        "meeting_security.meeting_password_requirement.only_allow_numeric",
    ),
    (
        "meetingSecurityMeetingPasswordRequirementHaveUpperAndLowerCharacters",
        "meeting_security.meeting_password_requirement.have_upper_and_lower_characters",
    ),
    (
        "meetingSecurityMeetingPasswordRequirementConsecutiveCharactersLength",
        "meeting_security.meeting_password_requirement.consecutive_characters_length",
    ),
    (
        "meetingSecurityMeetingPasswordRequirementWeakEnhanceDetection",
        "meeting_security.meeting_password_requirement.weak_enhance_detection",
    ),
    (
        "meetingSecurityPhonePassword",
        "meeting_security.phone_password",
    ),
    (
        "meetingSecurityPmiPassword",
        "meeting_security.pmi_password",
    ),
    (
        "meetingSecurityPasswordForPmi",
        "meeting_security.password_for_pmi",
    ),
    (
        "meetingSecurityRequirePasswordForScheduledMeeting",
        "meeting_security.require_password_for_scheduled_meeting",
    ),
    (
        "meetingSecurityWebinarPassword",
        "meeting_security.webinar_password",
    ),
    (
        "meetingSecurityRequirePasswordForScheduledWebinar",
        "meeting_security.require_password_for_scheduled_webinar",
    ),
    (
        "meetingSecurityWaitingRoom",
        "meeting_security.waiting_room",
    ),
    (
        "meetingSecurityWaitingRoomSettingsParticipantsToPlaceInWaitingRoom",
        "meeting_security.waiting_room_settings.participants_to_place_in_waiting_room",
    ),
    (
        "meetingSecurityWaitingRoomSettingsWhitelistedDomainsForWaitingRoom",
        "meeting_security.waiting_room_settings.whitelisted_domains_for_waiting_room",
    ),
    (
        "meetingSecurityWaitingRoomSettingsUsersWhoCanAdmitParticipantsFromWaitingRoom",
        "meeting_security.waiting_room_settings.users_who_can_admit_participants_from_waiting_room",
    ),
    (
        "meetingSecurityAutoSecurity",
        "meeting_security.auto_security",
    ),
    (
        "meetingSecurityBlockUserDomain",
        "meeting_security.block_user_domain",
    ),
    (
        "meetingSecurityBlockUserDomainList",
        "meeting_security.block_user_domain_list",
    ),
    (
        "meetingSecurityApprovedOrDeniedCountriesOrRegionsEnable",
        "meeting_security.approved_or_denied_countries_or_regions.enable",
    ),
];
