//! Flattening of settings bodies onto entities, and redaction of secrets.
//!
//! User settings are flattened onto `zoom_user` with JupiterOne's property
//! names (integrations.md Appendix A) so that JupiterOne queries read the
//! same here, including its quirks (`inMeetingFeedbacl`,
//! `scheduleMeetingRequirePasswordForScheduledmeetings`,
//! `recordingRequirePasswordForSharedCloudRecordings`). Every other key the
//! API returns gets a name by the same rule JupiterOne uses: the section
//! prefix plus the camel-cased path (`in_meeting.meeting_polling.enable` →
//! `inMeetingMeetingPollingEnable`). Where an Appendix A name differs from
//! the rule's name, both are produced, so a query written either way works.
//! Arrays are kept as arrays; empty objects produce nothing.
//!
//! Redaction ([`redact`]) runs on every body before it is flattened or kept
//! as raw JSON, so passcodes never reach the graph, the store or a screen.

use serde_json::Value;

use super::build::UserSettingsBundle;

/// What a redacted value is replaced with.
pub const REDACTED: &str = "[REDACTED]";

/// Keys that always hold a secret when their value is a string or number.
const SECRET_KEYS: &[&str] = &[
    "pmi_password",
    "password_for_pmi",
    "default_password_for_scheduled_meetings",
    "host_key",
    "encrypted_password",
    "h323_password",
    "password",
    "start_url",
    "zak",
    "token",
    "access_token",
    "client_secret",
];

/// Redacts secrets in place, recursively.
///
/// A string or number is replaced by [`REDACTED`] when its key is one of
/// [`SECRET_KEYS`] or contains `password`/`passcode`/`secret` — unless the
/// key names a passcode *policy* rather than a passcode (`require_…`,
/// `…_requirement…`, `have_…`, `…_length`, `…_protected`, …): those values
/// (`require_password_for_pmi_meetings: "all"`, `minimum_password_length: 8`)
/// are what CIS checks read, and hold no secret. Booleans, nulls, objects and
/// arrays are never replaced (their contents are visited). Any string holding
/// a `pwd=` URL parameter (the join passcode in `personal_meeting_url`) has
/// that parameter's value redacted.
pub fn redact(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                let secret = is_secret_key(k);
                match child {
                    Value::String(_) | Value::Number(_) if secret => {
                        *child = Value::String(REDACTED.to_string());
                    }
                    _ => redact(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        Value::String(s) => {
            if let Some(clean) = redact_url_pwd(s) {
                *s = clean;
            }
        }
        _ => {}
    }
}

/// The redacted text of a JSON value given as text. Most objects (a listed
/// user) hold nothing [`redact`] would change: when the text cannot hold a
/// secret key or a `pwd=` parameter, it is returned as it is, without
/// building a tree. The test is conservative: any mention of a secret
/// word, in any case, or any `\u` escape (which could spell a key in
/// disguise) takes the full path.
pub fn redact_text(text: &str) -> String {
    if !may_need_redaction(text) {
        return text.to_string();
    }
    match serde_json::from_str::<Value>(text) {
        Ok(mut v) => {
            redact(&mut v);
            v.to_string()
        }
        // Not JSON: nothing to walk, so nothing of it is kept.
        Err(_) => Value::String(REDACTED.to_string()).to_string(),
    }
}

/// Words whose presence (case-insensitive) sends text through [`redact`]:
/// every secret key, the words a secret key may contain, and `pwd=`.
fn redaction_needles() -> impl Iterator<Item = &'static str> {
    SECRET_KEYS
        .iter()
        .copied()
        .chain(SECRET_WORDS)
        .chain(["pwd="])
}

fn may_need_redaction(text: &str) -> bool {
    if text.contains("\\u") {
        return true;
    }
    let lower = text.to_ascii_lowercase();
    redaction_needles().any(|n| lower.contains(n))
}

/// Words that make any key holding them secret (unless a policy key).
const SECRET_WORDS: [&str; 3] = ["password", "passcode", "secret"];

fn is_secret_key(key: &str) -> bool {
    // Called for every key of every user's raw object: lower-case a copy
    // only when there is something to lower.
    let k: std::borrow::Cow<str> = if key.bytes().any(|b| b.is_ascii_uppercase()) {
        key.to_ascii_lowercase().into()
    } else {
        key.into()
    };
    let k = k.as_ref();
    if SECRET_KEYS.contains(&k) {
        return true;
    }
    let mentions_secret = SECRET_WORDS.iter().any(|w| k.contains(w));
    mentions_secret && !is_policy_key(k)
}

/// Keys that describe a passcode rule, not a passcode.
fn is_policy_key(k: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "require", "required", "force_", "embed_", "have_", "allow_", "enable", "only_",
    ];
    const INFIXES: &[&str] = &["requirement", "_length", "_protected", "_type", "_expir"];
    PREFIXES.iter().any(|p| k.starts_with(p)) || INFIXES.iter().any(|i| k.contains(i))
}

/// Replaces the value of every `pwd=` query parameter in a string.
fn redact_url_pwd(s: &str) -> Option<String> {
    if !s.contains("pwd=") {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("pwd=") {
        // Only a parameter: preceded by `?`, `&` or at the start.
        let at_param = i == 0 || matches!(rest[..i].chars().next_back(), Some('?' | '&' | ';'));
        out.push_str(&rest[..i + 4]);
        rest = &rest[i + 4..];
        if at_param {
            let end = rest.find(['&', '#', ' ', '"']).unwrap_or(rest.len());
            out.push_str(REDACTED);
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    Some(out)
}

/// Converts `snake_case` words to `CamelCase` (each word's first letter
/// upper-cased, the rest kept), the way JupiterOne names settings.
pub fn camel_upper(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    for word in snake.split(['_', '-', ' ', '.']).filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// `snake_case` → `camelCase` (first letter lower-cased).
pub fn camel_lower(snake: &str) -> String {
    let upper = camel_upper(snake);
    let mut chars = upper.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Joins a prefix and a camel-cased path: `("inMeeting", "e2e_encryption")`
/// → `inMeetingE2eEncryption`; an empty prefix gives `camelCase`.
fn join_name(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        camel_lower(key)
    } else {
        let mut s = String::with_capacity(prefix.len() + key.len());
        s.push_str(prefix);
        s.push_str(&camel_upper(key));
        s
    }
}

/// Flattens an object: every non-object leaf becomes `prefix + CamelPath`.
/// Arrays are leaves (kept whole). Empty objects produce nothing.
/// `path` is the dotted JSON path of `value` (for Appendix A matching).
fn flatten_into(prefix: &str, path: &str, value: &Value, out: &mut Vec<Flat>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let name = join_name(prefix, k);
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                flatten_into(&name, &p, v, out);
            }
        }
        leaf => out.push(Flat {
            name: prefix.to_string(),
            path: path.to_string(),
            value: leaf.clone(),
        }),
    }
}

struct Flat {
    name: String,
    path: String,
    value: Value,
}

/// Flattens a settings body whose top-level keys are sections
/// (`schedule_meeting`, `in_meeting`, …), each section's name being the
/// prefix: `{"in_meeting": {"chat": true}}` → `inMeetingChat`. With a
/// non-empty `prefix`, that comes first (`lockSettings` →
/// `lockSettingsInMeetingChat`). The body is redacted first.
pub fn flatten_sections(body: &Value, prefix: &str) -> Vec<(String, Value)> {
    let mut body = body.clone();
    redact(&mut body);
    let mut flat = Vec::new();
    if body.is_object() {
        flatten_into(prefix, "", &body, &mut flat);
    }
    finish(flat, &[])
}

/// Sorts by name and keeps the first value for a name produced twice.
/// `quirks` adds an extra name for a path (JupiterOne's odd names).
fn finish(flat: Vec<Flat>, quirks: &[(&str, &str)]) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = Vec::with_capacity(flat.len() + 4);
    for f in flat {
        if let Some((quirk_name, _)) = quirks.iter().find(|(_, p)| *p == f.path) {
            out.push((quirk_name.to_string(), f.value.clone()));
        }
        out.push((f.name, f.value));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|later, first| later.0 == first.0);
    out
}

/// Flattens the four user-settings bodies onto `zoom_user` property names:
/// Appendix A names (with JupiterOne's quirks) plus every newer key by the
/// same rule. Each body is redacted before flattening.
///
/// - main settings: sections → `scheduleMeeting…`, `inMeeting…`, …
/// - `meeting_authentication`: `meetingAuthentication` plus
///   `meetingAuthentication<Key>` for the body's other keys
/// - `recording_authentication`: likewise
/// - `meeting_security` (wrapped as `{"meeting_security": {…}}`) →
///   `meetingSecurity…`; an unwrapped body is treated the same.
pub fn flatten_user_settings(b: &UserSettingsBundle) -> Vec<(String, Value)> {
    let mut flat = Vec::new();
    if let Some(main) = &b.main {
        let mut body = main.raw.clone();
        redact(&mut body);
        if body.is_object() {
            flatten_into("", "", &body, &mut flat);
        }
    }
    for (settings, section) in [
        (&b.meeting_authentication, "meeting_authentication"),
        (&b.recording_authentication, "recording_authentication"),
        (&b.meeting_security, "meeting_security"),
    ] {
        let Some(s) = settings else { continue };
        let mut body = s.raw.clone();
        redact(&mut body);
        let Value::Object(map) = body else { continue };
        let prefix = camel_lower(section);
        for (k, v) in &map {
            if k == section {
                // `{"meeting_authentication": false}` → `meetingAuthentication`;
                // `{"meeting_security": {…}}` → `meetingSecurity…`.
                flatten_into(&prefix, section, v, &mut flat);
            } else {
                let name = join_name(&prefix, k);
                flatten_into(&name, &format!("{section}.{k}"), v, &mut flat);
            }
        }
    }
    finish(flat, APPENDIX_A_QUIRKS)
}

/// The Appendix A names that the naming rule does not produce, with their
/// JSON paths. Each is produced *in addition to* the rule's name.
pub const APPENDIX_A_QUIRKS: &[(&str, &str)] = &[
    // typo in JupiterOne's name
    ("inMeetingFeedbacl", "in_meeting.feedback"),
    // lower-case `m`; Zoom does not return this key for users, so usually absent
    (
        "scheduleMeetingRequirePasswordForScheduledmeetings",
        "schedule_meeting.require_password_for_scheduled_meetings",
    ),
    // `Require` for the path's `required`
    (
        "recordingRequirePasswordForSharedCloudRecordings",
        "recording.required_password_for_shared_cloud_recordings",
    ),
];

/// The four bodies as one redacted JSON object (for the raw-JSON view):
/// `{"settings": …, "meeting_authentication": …, …}`; absent bodies omitted.
pub fn bundle_raw(b: &UserSettingsBundle) -> Value {
    let mut m = serde_json::Map::new();
    for (name, s) in [
        ("settings", &b.main),
        ("meeting_authentication", &b.meeting_authentication),
        ("recording_authentication", &b.recording_authentication),
        ("meeting_security", &b.meeting_security),
    ] {
        if let Some(s) = s {
            let mut v = s.raw.clone();
            redact(&mut v);
            m.insert(name.to_string(), v);
        }
    }
    Value::Object(m)
}

/// JupiterOne's `zoom_user` settings properties (integrations.md Appendix A),
/// as (property, JSON path). [`flatten_user_settings`] produces each of them
/// by the naming rule or, for the names the rule cannot produce, from
/// [`APPENDIX_A_QUIRKS`]; the tests check both against this list.
pub const APPENDIX_A: &[(&str, &str)] = &[
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zoom::models::Settings;
    use serde_json::json;
    use std::path::PathBuf;

    #[test]
    fn text_without_secrets_is_kept_as_sent_and_text_with_them_is_redacted() {
        let plain = r#"{"id":"u1","email":"a@x.io","group_ids":["g1"]}"#;
        assert_eq!(redact_text(plain), plain);
        for (text, secret) in [
            (r#"{"id":"u1","host_key":"123456"}"#, "123456"),
            (r#"{"id":"u1","Pmi_Password":"pw-77"}"#, "pw-77"),
            (r#"{"u":"https://z.us/j/1?pwd=abc123"}"#, "abc123"),
            (r#"{"nested":{"x":[{"meeting_passcode":"987"}]}}"#, "987"),
            // An escaped key spells `password` without the word appearing.
            (r#"{"pass\u0077ord":"hidden-1"}"#, "hidden-1"),
        ] {
            let out = redact_text(text);
            assert!(!out.contains(secret), "{text} -> {out}");
            assert!(out.contains(REDACTED), "{text} -> {out}");
        }
    }

    #[test]
    fn redacting_text_agrees_with_redacting_a_tree() {
        let text = r#"{"id":"u1","password":"p","require_password_for_pmi_meetings":"all","personal_meeting_url":"https://z/j/1?pwd=x&a=1"}"#;
        let mut tree: Value = serde_json::from_str(text).unwrap();
        redact(&mut tree);
        let from_text: Value = serde_json::from_str(&redact_text(text)).unwrap();
        assert_eq!(from_text, tree);
    }

    fn body(v: Value) -> Option<Settings> {
        Some(Settings { raw: v })
    }

    fn get<'a>(flat: &'a [(String, Value)], name: &str) -> Option<&'a Value> {
        flat.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    #[test]
    fn redacts_secrets_but_keeps_policies_and_booleans() {
        let mut v = json!({
            "schedule_meeting": {
                "pmi_password": "792824",
                "default_password_for_scheduled_meetings": 123456,
                "require_password_for_pmi_meetings": "all",
                "require_password_for_instant_meetings": true,
                "meeting_password_requirement": {"length": 8, "have_letter": true},
                "pstn_password_protected": true,
            },
            "meeting_security": {"pmi_password": true, "password_for_pmi": "792824",
                "meeting_password": true, "webinar_password": false},
            "security": {"password_requirement": {"minimum_password_length": 10}},
            "host_key": "112233",
            "items": [{"password": "p@ss"}, {"h323_password": 5}],
            "personal_meeting_url": "https://us06web.zoom.us/j/4440405982?pwd=c0JidmlZRzA3dEZ&x=1",
            "start_url": "https://zoom.us/s/1?zak=eyJabc",
            "encrypted_password": "abcd",
        });
        redact(&mut v);
        assert_eq!(v["schedule_meeting"]["pmi_password"], REDACTED);
        assert_eq!(
            v["schedule_meeting"]["default_password_for_scheduled_meetings"],
            REDACTED
        );
        assert_eq!(
            v["schedule_meeting"]["require_password_for_pmi_meetings"],
            "all"
        );
        assert_eq!(
            v["schedule_meeting"]["require_password_for_instant_meetings"],
            true
        );
        assert_eq!(
            v["schedule_meeting"]["meeting_password_requirement"]["length"],
            8
        );
        assert_eq!(v["schedule_meeting"]["pstn_password_protected"], true);
        assert_eq!(v["meeting_security"]["pmi_password"], true);
        assert_eq!(v["meeting_security"]["password_for_pmi"], REDACTED);
        assert_eq!(v["meeting_security"]["meeting_password"], true);
        assert_eq!(
            v["security"]["password_requirement"]["minimum_password_length"],
            10
        );
        assert_eq!(v["host_key"], REDACTED);
        assert_eq!(v["items"][0]["password"], REDACTED);
        assert_eq!(v["items"][1]["h323_password"], REDACTED);
        assert_eq!(
            v["personal_meeting_url"],
            "https://us06web.zoom.us/j/4440405982?pwd=[REDACTED]&x=1"
        );
        assert_eq!(v["start_url"], REDACTED);
        assert_eq!(v["encrypted_password"], REDACTED);
        // not a parameter: left alone
        let mut s = json!({"note": "the word pwd=abc inside text"});
        redact(&mut s);
        assert_eq!(s["note"], "the word pwd=abc inside text");
    }

    #[test]
    fn camel_case_follows_jupiterone() {
        assert_eq!(camel_upper("e2e_encryption"), "E2eEncryption");
        assert_eq!(
            camel_upper("show_a_join_from_your_browser_link"),
            "ShowAJoinFromYourBrowserLink"
        );
        assert_eq!(camel_lower("schedule_meeting"), "scheduleMeeting");
        assert_eq!(camel_lower(""), "");
        assert_eq!(join_name("inMeeting", "co_host"), "inMeetingCoHost");
    }

    /// A bundle holding every Appendix A path (value: the path itself).
    fn appendix_bundle() -> UserSettingsBundle {
        let mut main = json!({});
        let mut auth = json!({});
        let mut rec = json!({});
        let mut sec = json!({});
        for (_, path) in APPENDIX_A {
            let (target, path) = match path.split_once('.') {
                Some(("meeting_security", _)) => (&mut sec, *path),
                Some(_) => (&mut main, *path),
                None if *path == "meeting_authentication" => (&mut auth, *path),
                None => (&mut rec, *path),
            };
            let mut cur = target;
            let segs: Vec<&str> = path.split('.').collect();
            for (i, seg) in segs.iter().enumerate() {
                let m = cur.as_object_mut().unwrap();
                if i + 1 == segs.len() {
                    m.insert(seg.to_string(), json!(format!("v:{path}")));
                    break;
                }
                cur = m.entry(seg.to_string()).or_insert_with(|| json!({}));
            }
        }
        UserSettingsBundle {
            main: body(main),
            meeting_authentication: body(auth),
            recording_authentication: body(rec),
            meeting_security: body(sec),
        }
    }

    #[test]
    fn every_appendix_a_name_is_produced_with_its_value() {
        assert_eq!(APPENDIX_A.len(), 163);
        let flat = flatten_user_settings(&appendix_bundle());
        for (name, path) in APPENDIX_A {
            let v = get(&flat, name).unwrap_or_else(|| panic!("{name} missing"));
            // String values under these keys are passcodes (in real bodies
            // the meeting_security ones are booleans and stay readable).
            let last = path.rsplit('.').next().unwrap_or(path);
            let secret = [
                "pmi_password",
                "password_for_pmi",
                "default_password_for_scheduled_meetings",
                "meeting_password",
                "phone_password",
                "webinar_password",
            ]
            .contains(&last);
            if secret {
                assert_eq!(v, REDACTED, "{name}");
            } else {
                assert_eq!(v, &json!(format!("v:{path}")), "{name}");
            }
        }
        // quirks also get the rule's name
        assert!(get(&flat, "inMeetingFeedback").is_some());
        assert!(get(&flat, "recordingRequiredPasswordForSharedCloudRecordings").is_some());
        // every Appendix A name is either the rule's name or a listed quirk
        for (name, path) in APPENDIX_A {
            let (section, rest) = path.split_once('.').unwrap_or((path, ""));
            let rule = format!("{}{}", camel_lower(section), camel_upper(rest));
            assert!(
                rule == *name || APPENDIX_A_QUIRKS.iter().any(|(q, _)| q == name),
                "{name} vs rule {rule}"
            );
        }
        // sorted, unique
        assert!(flat.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn newer_keys_arrays_and_unwrapped_bodies() {
        let b = UserSettingsBundle {
            main: body(json!({
                "in_meeting": {"meeting_polling": {"enable": true}, "data_center_regions": ["US", "EU"],
                    "webinar_chat": {}},
                "tsp": {},
                "whiteboard": true,
            })),
            meeting_authentication: body(json!({"meeting_authentication": true,
                "authentication_options": [{"id": "signIn_X", "type": "enforce_login"}]})),
            recording_authentication: None,
            // unwrapped meeting_security body
            meeting_security: body(json!({"waiting_room": true})),
        };
        let flat = flatten_user_settings(&b);
        assert_eq!(
            get(&flat, "inMeetingMeetingPollingEnable"),
            Some(&json!(true))
        );
        assert_eq!(
            get(&flat, "inMeetingDataCenterRegions"),
            Some(&json!(["US", "EU"]))
        );
        assert_eq!(get(&flat, "whiteboard"), Some(&json!(true)));
        assert_eq!(get(&flat, "meetingAuthentication"), Some(&json!(true)));
        assert_eq!(
            get(&flat, "meetingAuthenticationAuthenticationOptions"),
            Some(&json!([{"id": "signIn_X", "type": "enforce_login"}]))
        );
        assert_eq!(get(&flat, "meetingSecurityWaitingRoom"), Some(&json!(true)));
        assert!(!flat.iter().any(|(k, _)| k.starts_with("tsp")));
        // odd bodies: not objects → nothing, no panic
        let odd = UserSettingsBundle {
            main: body(json!([1, 2])),
            meeting_authentication: body(json!("x")),
            recording_authentication: body(Value::Null),
            meeting_security: body(json!({"meeting_security": 5})),
        };
        let flat = flatten_user_settings(&odd);
        assert_eq!(flat, vec![("meetingSecurity".to_string(), json!(5))]);
    }

    fn samples_dir() -> Option<PathBuf> {
        let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        [
            manifest.parent().map(|p| p.join("shared/zoom-api/samples")),
            Some(PathBuf::from("/work/shared/zoom-api/samples")),
        ]
        .into_iter()
        .flatten()
        .find(|p| p.is_dir())
    }

    #[test]
    fn real_owner_settings_flatten_without_the_pmi_passcode() {
        let Some(dir) = samples_dir() else {
            eprintln!("samples not present; skipped");
            return;
        };
        let read = |suffix: &str| -> Option<Settings> {
            let p = dir.join(format!(
                "graph-zoom__GET_api_v2_users_H9Yx0-O8QUCXVIseYAsjaA_settings{suffix}.json"
            ));
            let text = std::fs::read_to_string(p).ok()?;
            Some(Settings {
                raw: serde_json::from_str(&text).ok()?,
            })
        };
        let b = UserSettingsBundle {
            main: read(""),
            meeting_authentication: read("__option-meeting_authentication"),
            recording_authentication: read("__option-recording_authentication"),
            meeting_security: read("__option-meeting_security"),
        };
        assert!(b.main.is_some() && b.meeting_security.is_some());
        let flat = flatten_user_settings(&b);
        let all = serde_json::to_string(&flat).unwrap();
        assert!(
            !all.contains("792824"),
            "PMI passcode leaked into properties"
        );
        let raw = bundle_raw(&b).to_string();
        assert!(!raw.contains("792824"), "PMI passcode leaked into raw JSON");
        assert_eq!(
            get(&flat, "meetingSecurityPasswordForPmi"),
            Some(&json!(REDACTED))
        );
        assert_eq!(
            get(&flat, "scheduleMeetingPmiPassword"),
            Some(&json!(REDACTED))
        );
        assert_eq!(get(&flat, "meetingSecurityPmiPassword"), Some(&json!(true)));
        assert_eq!(get(&flat, "inMeetingE2eEncryption"), Some(&json!(false)));
        assert_eq!(get(&flat, "inMeetingFeedbacl"), Some(&json!(true)));
        assert_eq!(
            get(&flat, "scheduleMeetingRequirePasswordForPmiMeetings"),
            Some(&json!("all"))
        );
        assert_eq!(
            get(&flat, "meetingSecurityRequirePasswordForScheduledMeeting"),
            Some(&json!(false))
        );
        assert_eq!(get(&flat, "meetingAuthentication"), Some(&json!(false)));
        assert_eq!(get(&flat, "recordingAuthentication"), Some(&json!(false)));
        assert_eq!(
            get(&flat, "telephonyTelephonyRegionsAllowedValues")
                .and_then(Value::as_array)
                .map(Vec::len),
            Some(7)
        );
        // JupiterOne's dead name stays absent, as in JupiterOne
        assert!(get(&flat, "scheduleMeetingRequirePasswordForScheduledmeetings").is_none());
        // most Appendix A names are present in a real body
        let present = APPENDIX_A
            .iter()
            .filter(|(n, _)| get(&flat, n).is_some())
            .count();
        assert!(present > 100, "only {present} Appendix A names");
    }
}
