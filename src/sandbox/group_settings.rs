//! Group settings (`docs/zoom-contract.md#settings`): `GET /groups/{groupId}/settings`
//! and `GET /groups/{groupId}/lock_settings`. A Zoom group inherits the
//! account's settings; what the group sets differently is in its model
//! ([`GroupSettings`]). Each body is the account's, cut to the sections and
//! keys Zoom's OpenAPI document lists for the group endpoint (`getGroupSettings`,
//! `getGroupLockSettings`), with the group's own values applied.
//!
//! The generated org has a few groups that depart from the account: one
//! turns off what the account has on and locked (waiting room, the passcode
//! for new meetings), one locks or unlocks the waiting room against the
//! account and records to the cloud, and about one ordinary group in fifty
//! records locally.

use serde_json::{Map, Value, json};

use super::model::{Account, Group, GroupSettings};
use super::rng::Rng;
use super::settings::{SettingsOption, account_settings, lock_settings};

/// The sections and keys of `GET /groups/{groupId}/settings` (Zoom's
/// Users API OpenAPI document, first `oneOf` branch).
const GROUP_SETTINGS_KEYS: &[(&str, &[&str])] = &[
    (
        "audio_conferencing",
        &[
            "toll_free_and_fee_based_toll_call",
            "toll_call",
            "call_me_and_invite_by_phone",
            "personal_audio_conference",
            "participant_phone_masking",
            "global_dial_in_countries",
        ],
    ),
    (
        "email_notification",
        &[
            "alternative_host_reminder",
            "cancel_meeting_reminder",
            "cloud_recording_available_reminder",
            "jbh_reminder",
            "recording_available_reminder_alternative_hosts",
            "recording_available_reminder_schedulers",
            "schedule_for_reminder",
        ],
    ),
    (
        "in_meeting",
        &[
            "alert_guest_join",
            "allow_users_to_delete_messages_in_meeting_chat",
            "allow_live_streaming",
            "allow_participants_chat_with",
            "allow_show_zoom_windows",
            "allow_users_save_chats",
            "annotation",
            "attendee_on_hold",
            "auto_answer",
            "auto_saving_chat",
            "breakout_room",
            "breakout_room_schedule",
            "chat",
            "meeting_question_answer",
            "closed_caption",
            "closed_captioning",
            "co_host",
            "custom_data_center_regions",
            "custom_live_streaming_service",
            "custom_service_instructions",
            "data_center_regions",
            "disable_screen_sharing_for_host_meetings",
            "disable_screen_sharing_for_in_meeting_guests",
            "e2e_encryption",
            "entry_exit_chime",
            "far_end_camera_control",
            "feedback",
            "file_transfer",
            "group_hd",
            "webinar_group_hd",
            "join_from_desktop",
            "join_from_mobile",
            "auto_generated_translation",
            "language_interpretation",
            "sign_language_interpretation",
            "live_streaming_facebook",
            "live_streaming_youtube",
            "manual_captioning",
            "meeting_reactions",
            "meeting_reactions_emojis",
            "allow_host_panelists_to_use_audible_clap",
            "webinar_reactions",
            "meeting_survey",
            "non_verbal_feedback",
            "only_host_view_device_list",
            "original_audio",
            "polling",
            "post_meeting_feedback",
            "private_chat",
            "record_play_own_voice",
            "remote_control",
            "remote_support",
            "request_permission_to_unmute_participants",
            "screen_sharing",
            "sending_default_email_invites",
            "show_a_join_from_your_browser_link",
            "show_browser_join_link",
            "show_device_list",
            "show_meeting_control_toolbar",
            "slide_control",
            "stereo_audio",
            "unchecked_data_center_regions",
            "use_html_format_email",
            "virtual_background",
            "virtual_background_settings",
            "waiting_room",
            "webinar_chat",
            "webinar_live_streaming",
            "meeting_polling",
            "webinar_polling",
            "webinar_question_answer",
            "webinar_survey",
            "whiteboard",
            "who_can_share_screen",
            "who_can_share_screen_when_someone_is_sharing",
            "participants_share_simultaneously",
            "workplace_by_facebook",
        ],
    ),
    (
        "other_options",
        &[
            "allow_users_contact_support_via_chat",
            "blur_snapshot",
            "webinar_registration_options",
        ],
    ),
    ("profile", &["recording_storage_location"]),
    (
        "recording",
        &[
            "account_user_access_recording",
            "archive",
            "auto_recording",
            "cloud_recording",
            "cloud_recording_download",
            "cloud_recording_download_host",
            "host_delete_cloud_recording",
            "record_files_separately",
            "display_participant_name",
            "recording_thumbnails",
            "optimize_recording_for_3rd_party_video_editor",
            "recording_highlight",
            "save_panelist_chat",
            "save_poll_results",
            "save_close_caption",
            "ip_address_access_control",
            "local_recording",
            "prevent_host_access_recording",
            "record_audio_file",
            "record_gallery_view",
            "record_speaker_view",
            "recording_audio_transcript",
            "smart_recording",
            "save_chat_text",
            "show_timestamp",
        ],
    ),
    (
        "schedule_meeting",
        &[
            "audio_type",
            "embed_password_in_join_link",
            "force_pmi_jbh_password",
            "host_video",
            "join_before_host",
            "mute_upon_entry",
            "participant_video",
            "personal_meeting",
            "pstn_password_protected",
            "require_password_for_instant_meetings",
            "require_password_for_pmi_meetings",
            "require_password_for_scheduled_meetings",
            "require_password_for_scheduling_new_meetings",
            "upcoming_meeting_reminder",
            "use_pmi_for_instant_meetings",
            "use_pmi_for_schedule_meetings",
            "always_display_zoom_meeting_as_topic",
            "always_display_zoom_webinar_as_topic",
            "continuous_meeting_chat",
        ],
    ),
    (
        "telephony",
        &[
            "audio_conference_info",
            "telephony_regions",
            "third_party_audio",
        ],
    ),
    (
        "chat",
        &[
            "share_files",
            "chat_emojis",
            "record_voice_messages",
            "record_video_messages",
            "screen_capture",
            "create_public_channels",
            "create_private_channels",
            "share_links_in_chat",
            "schedule_meetings_in_chat",
            "set_retention_period_in_cloud",
            "set_retention_period_in_local",
            "allow_users_to_search_others_options",
            "allow_users_to_add_contacts",
            "allow_users_to_chat_with_others",
            "chat_etiquette_tool",
            "send_data_to_third_party_archiving_service",
            "translate_messages",
            "search_and_send_animated_gif_images",
        ],
    ),
];

/// The sections and keys of `GET /groups/{groupId}/lock_settings`.
const GROUP_LOCK_KEYS: &[(&str, &[&str])] = &[
    (
        "audio_conferencing",
        &[
            "toll_free_and_fee_based_toll_call",
            "toll_call",
            "call_me_and_invite_by_phone",
            "personal_audio_conference",
            "participant_phone_masking",
        ],
    ),
    (
        "email_notification",
        &[
            "alternative_host_reminder",
            "cancel_meeting_reminder",
            "cloud_recording_available_reminder",
            "jbh_reminder",
            "schedule_for_reminder",
        ],
    ),
    (
        "in_meeting",
        &[
            "alert_guest_join",
            "allow_users_to_delete_messages_in_meeting_chat",
            "allow_live_streaming",
            "allow_show_zoom_windows",
            "annotation",
            "attendee_on_hold",
            "auto_answer",
            "auto_generated_captions",
            "auto_saving_chat",
            "breakout_room",
            "chat",
            "meeting_question_answer",
            "closed_caption",
            "co_host",
            "custom_data_center_regions",
            "disable_screen_sharing_for_host_meetings",
            "disable_screen_sharing_for_in_meeting_guests",
            "e2e_encryption",
            "entry_exit_chime",
            "far_end_camera_control",
            "feedback",
            "file_transfer",
            "full_transcript",
            "group_hd",
            "webinar_group_hd",
            "language_interpretation",
            "sign_language_interpretation",
            "manual_captions",
            "meeting_reactions",
            "webinar_reactions",
            "meeting_survey",
            "non_verbal_feedback",
            "original_audio",
            "polling",
            "post_meeting_feedback",
            "private_chat",
            "remote_control",
            "remote_support",
            "request_permission_to_unmute_participants",
            "save_caption",
            "save_captions",
            "screen_sharing",
            "sending_default_email_invites",
            "show_a_join_from_your_browser_link",
            "show_browser_join_link",
            "show_meeting_control_toolbar",
            "slide_control",
            "stereo_audio",
            "use_html_format_email",
            "virtual_background",
            "waiting_room",
            "webinar_chat",
            "webinar_live_streaming",
            "webinar_polling",
            "webinar_question_answer",
            "webinar_survey",
            "whiteboard",
        ],
    ),
    ("other_options", &["blur_snapshot"]),
    (
        "recording",
        &[
            "account_user_access_recording",
            "auto_delete_cmr",
            "auto_recording",
            "cloud_recording",
            "cloud_recording_download",
            "host_delete_cloud_recording",
            "ip_address_access_control",
            "local_recording",
            "prevent_host_access_recording",
            "recording_authentication",
            "archive",
        ],
    ),
    (
        "schedule_meeting",
        &[
            "audio_type",
            "embed_password_in_join_link",
            "force_pmi_jbh_password",
            "host_video",
            "join_before_host",
            "meeting_authentication",
            "mute_upon_entry",
            "participant_video",
            "pstn_password_protected",
            "require_password_for_instant_meetings",
            "require_password_for_pmi_meetings",
            "require_password_for_scheduling_new_meetings",
            "upcoming_meeting_reminder",
            "continuous_meeting_chat",
        ],
    ),
    ("telephony", &["telephony_regions", "third_party_audio"]),
];

/// Keys the group endpoint has and the account body the sandbox renders
/// does not: a client must not read their presence as a difference.
fn group_only(body: &mut Value) {
    set_path(
        body,
        "schedule_meeting.use_pmi_for_schedule_meetings",
        json!(false),
    );
    set_path(
        body,
        "schedule_meeting.upcoming_meeting_reminder",
        json!(true),
    );
    set_path(body, "in_meeting.show_device_list", json!(false));
    set_path(body, "recording.recording_thumbnails", json!(true));
    set_path(
        body,
        "chat",
        json!({"share_files": {"enable": true, "share_option": "anyone"}, "screen_capture": true}),
    );
}

/// Keeps the sections and keys `schema` lists.
fn cut_to(body: Value, schema: &[(&str, &[&str])]) -> Value {
    let Value::Object(sections) = body else {
        return Value::Object(Map::new());
    };
    let mut out = Map::new();
    for (name, value) in sections {
        let Some((_, keys)) = schema.iter().find(|(s, _)| *s == name) else {
            continue;
        };
        if let Value::Object(inner) = value {
            let kept: Map<String, Value> = inner
                .into_iter()
                .filter(|(k, _)| keys.contains(&k.as_str()))
                .collect();
            out.insert(name, Value::Object(kept));
        }
    }
    Value::Object(out)
}

/// Sets `section.key[.more]` in `body`, making the objects on the way.
fn set_path(body: &mut Value, path: &str, value: Value) {
    let mut cur = body;
    let mut segs = path.split('.').peekable();
    while let Some(seg) = segs.next() {
        if !cur.is_object() {
            *cur = Value::Object(Map::new());
        }
        let Value::Object(m) = cur else { return };
        if segs.peek().is_none() {
            m.insert(seg.to_string(), value);
            return;
        }
        cur = m
            .entry(seg.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}

/// `GET /groups/{groupId}/settings[?option=…]`.
pub fn group_settings(a: &Account, g: &Group, option: SettingsOption) -> Value {
    match option {
        // The option bodies are the account's: groups in the generated org
        // depart only in the main body.
        SettingsOption::MeetingAuthentication
        | SettingsOption::RecordingAuthentication
        | SettingsOption::MeetingSecurity => account_settings(a, option),
        SettingsOption::Plain | SettingsOption::Security => {
            let mut body = cut_to(
                account_settings(a, SettingsOption::Plain),
                GROUP_SETTINGS_KEYS,
            );
            group_only(&mut body);
            for (path, v) in &g.settings.values {
                set_path(&mut body, path, v.clone());
            }
            body
        }
    }
}

/// `GET /groups/{groupId}/lock_settings[?option=meeting_security]`.
pub fn group_lock_settings(a: &Account, g: &Group, option: SettingsOption) -> Value {
    if option == SettingsOption::MeetingSecurity {
        return lock_settings(a, option);
    }
    let mut body = cut_to(lock_settings(a, SettingsOption::Plain), GROUP_LOCK_KEYS);
    for (path, locked) in &g.settings.locks {
        set_path(&mut body, path, json!(locked));
    }
    body
}

/// The generated groups' departures from the account (see the module
/// docs). Ordinary groups only: not All Staff (first) and not the two
/// empty ones (last). A stream of its own, so the rest of the org is
/// generated exactly as before.
pub fn generate(groups: &mut [Group], account: &Account, seed: u64) {
    let ordinary = 1..groups.len().saturating_sub(2);
    let mut r = Rng::stream(seed, "group-settings");
    for k in ordinary {
        let Some(g) = groups.get_mut(k) else { continue };
        let s = &mut g.settings;
        match k {
            1 => {
                s.values
                    .insert("in_meeting.waiting_room".into(), json!(false));
                s.values.insert(
                    "schedule_meeting.require_password_for_scheduling_new_meetings".into(),
                    json!(false),
                );
            }
            2 => {
                s.locks.insert(
                    "in_meeting.waiting_room".into(),
                    !account.lock_settings.waiting_room,
                );
                s.values
                    .insert("recording.auto_recording".into(), json!("cloud"));
            }
            _ if r.chance(0.02) => {
                s.values
                    .insert("recording.auto_recording".into(), json!("local"));
            }
            _ => {}
        }
    }
}

/// What `group_override` does to `s`: the next of the settings a review
/// cares about that the group still has as the account does, turned to the
/// opposite of the account's value. `None` when the group departs on all.
pub fn override_next(a: &Account, s: &mut GroupSettings) -> Option<(String, Value, Value)> {
    let account = account_settings(a, SettingsOption::Plain);
    for path in OVERRIDABLE {
        if s.values.contains_key(*path) {
            continue;
        }
        let before = get_path(&account, path).cloned().unwrap_or(Value::Null);
        let after = json!(!before.as_bool().unwrap_or(false));
        s.values.insert((*path).to_string(), after.clone());
        return Some(((*path).to_string(), before, after));
    }
    None
}

/// The settings `group_override` turns, in order: ones the generated
/// account has on, and locks on some seeds or always.
const OVERRIDABLE: &[&str] = &[
    "schedule_meeting.require_password_for_scheduling_new_meetings",
    "in_meeting.waiting_room",
    "recording.cloud_recording",
    "in_meeting.file_transfer",
];

fn get_path<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |cur, seg| cur.get(seg))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::generate::generate as generate_org;
    use chrono::TimeZone;

    #[test]
    fn groups_equal_the_account_except_where_they_depart() {
        let at = chrono::Utc.with_ymd_and_hms(2026, 1, 15, 0, 0, 0).unwrap();
        let org = generate_org(500, 1, at);
        let a = &org.account;
        let account = account_settings(a, SettingsOption::Plain);
        let plain = &org.groups[4];
        assert!(plain.settings.values.is_empty() && plain.settings.locks.is_empty());
        let body = group_settings(a, plain, SettingsOption::Plain);
        assert!(body.get("security").is_none() && body.get("feature").is_none());
        assert_eq!(
            get_path(&body, "in_meeting.waiting_room"),
            get_path(&account, "in_meeting.waiting_room")
        );
        assert!(get_path(&body, "schedule_meeting.enforce_login").is_none());
        let first = &org.groups[1];
        let body = group_settings(a, first, SettingsOption::Plain);
        assert_eq!(
            get_path(&body, "in_meeting.waiting_room"),
            Some(&json!(false))
        );
        let second = &org.groups[2];
        let locks = group_lock_settings(a, second, SettingsOption::Plain);
        assert_eq!(
            get_path(&locks, "in_meeting.waiting_room"),
            Some(&json!(!a.lock_settings.waiting_room))
        );
        assert!(get_path(&locks, "schedule_meeting.personal_meeting").is_none());
    }
}
