//! Settings bodies (`docs/zoom-contract.md#settings`): user settings (plain and the
//! three `option=` branches), account settings (plain and `option=…`), lock
//! settings, and `custom_query_fields` filtering. Rendered on request from
//! the compact security values in the model, with the sections and keys of
//! the recorded real bodies around them.

use serde_json::{Map, Value, json};

use super::model::{Account, User};

/// `option=` of the settings endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsOption {
    Plain,
    MeetingAuthentication,
    RecordingAuthentication,
    MeetingSecurity,
    /// Account settings only.
    Security,
}

impl SettingsOption {
    /// None for an unknown option (Zoom answers 300 "Invalid field").
    pub fn parse(raw: Option<&str>, account: bool) -> Option<Self> {
        match raw.map(str::trim).unwrap_or("") {
            "" => Some(Self::Plain),
            "meeting_authentication" => Some(Self::MeetingAuthentication),
            "recording_authentication" => Some(Self::RecordingAuthentication),
            "meeting_security" => Some(Self::MeetingSecurity),
            "security" if account => Some(Self::Security),
            _ => None,
        }
    }
}

fn passcode_requirement(min_len: u8, numeric: bool, special: bool) -> Value {
    json!({
        "length": min_len,
        "have_letter": !numeric && min_len > 0,
        "have_number": min_len > 0,
        "have_special_character": special,
        "have_upper_and_lower_characters": false,
        "only_allow_numeric": numeric,
        "consecutive_characters_length": 0,
        "weak_enhance_detection": min_len >= 8,
    })
}

fn authentication_options(account: &Account) -> Value {
    json!([
        {
            "id": format!("signIn_{}", account.account_id),
            "name": "Sign in to Zoom",
            "type": "enforce_login",
            "default_option": true,
            "visible": true
        },
        {
            "id": format!("domains_{}", account.account_id),
            "name": "Sign in to Zoom with specified domains",
            "type": "enforce_login_with_domains",
            "domains": format!("{},{}", account.domain, account.alias_domain),
            "default_option": false,
            "visible": true
        }
    ])
}

fn meeting_security_body(u: &User) -> Value {
    let s = &u.settings;
    json!({
        "auto_security": true,
        "waiting_room": s.waiting_room,
        "waiting_room_settings": {
            "participants_to_place_in_waiting_room": if s.waiting_room { 0 } else { 2 },
            "users_who_can_admit_participants_from_waiting_room": 0,
            "whitelisted_domains_for_waiting_room": ""
        },
        "meeting_password": s.require_password_for_scheduling_new_meetings,
        "require_password_for_scheduled_meeting": s.require_password_for_scheduling_new_meetings,
        "pmi_password": s.require_password_for_pmi_meetings != "none",
        "password_for_pmi": s.pmi_password,
        "phone_password": true,
        "meeting_password_requirement": passcode_requirement(
            s.passcode_min_length,
            s.passcode_only_numeric,
            s.passcode_have_special_character
        ),
        "embed_password_in_join_link": s.embed_password_in_join_link,
        "end_to_end_encrypted_meetings": s.e2e_encryption,
        "encryption_type": if s.e2e_encryption { "e2ee" } else { "enhanced_encryption" },
        "approved_or_denied_countries_or_regions": {"enable": false},
        "block_user_domain": false,
        "only_authenticated_can_join_from_webclient": s.only_authenticated_can_join_from_webclient
    })
}

/// Adds `extra`'s keys to `base` (both objects).
fn merge(base: &mut Value, extra: Value) {
    if let (Value::Object(b), Value::Object(e)) = (base, extra) {
        b.extend(e);
    }
}

/// `GET /users/{userId}/settings[?option=…]`.
pub fn user_settings(u: &User, account: &Account, option: SettingsOption) -> Value {
    let s = &u.settings;
    match option {
        SettingsOption::MeetingAuthentication => json!({
            "meeting_authentication": s.meeting_authentication,
            "allow_authentication_exception": false,
            "authentication_options": authentication_options(account),
        }),
        SettingsOption::RecordingAuthentication => json!({
            "recording_authentication": s.recording_authentication,
            "authentication_options": authentication_options(account),
        }),
        SettingsOption::MeetingSecurity => json!({"meeting_security": meeting_security_body(u)}),
        SettingsOption::Plain | SettingsOption::Security => {
            // Built per section: one json! of this size exceeds the macro recursion limit.
            let mut m = Map::new();
            m.insert("schedule_meeting".into(), json!({
                "host_video": false,
                "participants_video": false,
                "audio_type": "both",
                "join_before_host": s.join_before_host,
                "enable_dedicated_group_chat": true,
                "personal_meeting": true,
                "use_pmi_for_scheduled_meetings": false,
                "use_pmi_for_instant_meetings": false,
                "force_pmi_jbh_password": true,
                "require_password_for_scheduling_new_meetings": s.require_password_for_scheduling_new_meetings,
                "require_password_for_scheduled_meetings": s.require_password_for_scheduling_new_meetings,
                "require_password_for_instant_meetings": s.require_password_for_instant_meetings,
                "require_password_for_pmi_meetings": s.require_password_for_pmi_meetings,
                "pmi_password": s.pmi_password,
                "default_password_for_scheduled_meetings": s.default_password,
                "pstn_password_protected": true,
                "mute_upon_entry": false,
                "embed_password_in_join_link": s.embed_password_in_join_link,
                "meeting_password_requirement": passcode_requirement(
                    s.passcode_min_length,
                    s.passcode_only_numeric,
                    s.passcode_have_special_character
                )
            }));
            // Two halves: one json! this long exceeds the macro recursion limit.
            let mut in_meeting = json!({
                "e2e_encryption": s.e2e_encryption,
                "chat": true,
                "private_chat": true,
                "auto_saving_chat": false,
                "entry_exit_chime": "none",
                "record_play_voice": false,
                "file_transfer": s.file_transfer,
                "feedback": true,
                "post_meeting_feedback": false,
                "co_host": true,
                "polling": false,
                "attendee_on_hold": false,
                "annotation": true,
                "whiteboard": true,
                "remote_control": s.remote_control,
                "non_verbal_feedback": false,
                "breakout_room": true,
                "closed_caption": false,
                "remote_support": false,
                "far_end_camera_control": false
            });
            merge(
                &mut in_meeting,
                json!({
                    "group_hd": false,
                    "virtual_background": true,
                    "custom_data_center_regions": false,
                    "data_center_regions": ["US", "EU"],
                    "screen_sharing": true,
                    "who_can_share_screen": s.who_can_share_screen,
                    "who_can_share_screen_when_someone_is_sharing": "host",
                    "participants_share_simultaneously": "one",
                    "waiting_room": s.waiting_room,
                    "allow_live_streaming": s.allow_live_streaming,
                    "request_permission_to_unmute_participants": false,
                    "show_a_join_from_your_browser_link": false,
                    "allow_participants_to_rename": true,
                    "allow_participants_chat_with": 4,
                    "allow_users_save_chats": 3,
                    "meeting_reactions": true,
                    "meeting_polling": {"enable": false},
                    "closed_captioning": {"enable": false, "third_party_captioning_service": false, "auto_transcribing": false, "view_full_transcript": false, "save_caption": false},
                    "language_interpretation": {"enable": false},
                    "transfer_meetings_between_devices": true
                }),
            );
            m.insert("in_meeting".into(), in_meeting);
            m.insert(
                "email_notification".into(),
                json!({
                    "cloud_recording_available_reminder": true,
                    "jbh_reminder": true,
                    "cancel_meeting_reminder": true,
                    "alternative_host_reminder": true,
                    "schedule_for_reminder": true
                }),
            );
            m.insert(
                "recording".into(),
                json!({
                    "local_recording": s.local_recording,
                    "cloud_recording": s.cloud_recording,
                    "record_speaker_view": true,
                    "record_gallery_view": false,
                    "record_audio_file": true,
                    "save_chat_text": true,
                    "show_timestamp": false,
                    "auto_recording": s.auto_recording,
                    "ip_address_access_control": {"enable": false},
                    "host_delete_cloud_recording": true,
                    "recording_disclaimer": false,
                    "auto_delete_cmr": false,
                    "required_password_for_shared_cloud_recordings": true,
                    "recording_password_requirement": {
                        "length": 8,
                        "have_letter": true,
                        "have_number": true,
                        "have_special_character": true,
                        "only_allow_numeric": false
                    }
                }),
            );
            m.insert("telephony".into(), json!({
                "third_party_audio": false,
                "audio_conference_info": "",
                "show_international_numbers_link": true,
                "telephony_regions": {"allowed_values": ["USTB", "EUTB", "ASTB"], "selection_value": "USTB"}
            }));
            m.insert("tsp".into(), json!({}));
            m.insert(
                "feature".into(),
                json!({
                    "meeting_capacity": if u.user_type == 2 { 300 } else { 100 },
                    "large_meeting": false,
                    "webinar": u.user_type == 2,
                    "zoom_events": false,
                    "cn_meeting": false,
                    "in_meeting": false,
                    "zoom_phone": false,
                    "concurrent_meeting": "None"
                }),
            );
            m.insert(
                "integration".into(),
                json!({"linkedin_sales_navigator": false}),
            );
            m.insert(
                "profile".into(),
                json!({
                    "recording_storage_location": {"allowed_values": ["US", "DE"], "value": "US"}
                }),
            );
            m.insert(
                "audio_conferencing".into(),
                json!({"toll_free_and_fee_based_toll_call": {"enable": false}}),
            );
            m.insert("other_options".into(), json!({}));
            Value::Object(m)
        }
    }
}

/// `GET /accounts/me/settings[?option=…]`.
pub fn account_settings(a: &Account, option: SettingsOption) -> Value {
    let s = &a.security;
    let security = json!({
        "admin_change_name_pic": s.admin_change_name_pic,
        "admin_change_user_info": false,
        "user_modifiable_info_by_admin": [],
        "signin_with_sso": {
            "enable": s.sso_enabled,
            "require_sso_for_domains": s.require_sso_for_domains,
            "domains": s.sso_domains,
            "sso_bypass_users": s.sso_bypass_users.iter().map(|e| json!({"id": "", "email": e})).collect::<Vec<_>>()
        },
        "hide_billing_info": s.hide_billing_info,
        "import_photos_from_devices": true,
        "password_requirement": {
            "consecutive_characters_length": 0,
            "have_special_character": s.password_have_special_character,
            "minimum_password_length": s.minimum_password_length,
            "weak_enhance_detection": true
        },
        "sign_again_period_for_inactivity_on_client": s.sign_again_period_for_inactivity_on_client,
        "sign_again_period_for_inactivity_on_web": 120,
        "sign_in_with_two_factor_auth": s.sign_in_with_two_factor_auth,
        "sign_in_with_two_factor_auth_groups": s.sign_in_with_two_factor_auth_groups,
        "sign_in_with_two_factor_auth_roles": s.sign_in_with_two_factor_auth_roles
    });
    match option {
        SettingsOption::Security => json!({"security": security}),
        SettingsOption::MeetingAuthentication => json!({
            "meeting_authentication": false,
            "allow_authentication_exception": false,
            "authentication_options": authentication_options(a),
        }),
        SettingsOption::RecordingAuthentication => json!({
            "recording_authentication": false,
            "authentication_options": authentication_options(a),
        }),
        SettingsOption::MeetingSecurity => json!({"meeting_security": {
            "auto_security": true,
            "waiting_room": s.waiting_room,
            "meeting_password": s.require_password_for_scheduling_new_meetings,
            "require_password_for_scheduled_meeting": s.require_password_for_scheduling_new_meetings,
            "phone_password": true,
            "pmi_password": true,
            "embed_password_in_join_link": false,
            "end_to_end_encrypted_meetings": s.e2e_encryption,
            "encryption_type": if s.e2e_encryption { "e2ee" } else { "enhanced_encryption" },
            "block_user_domain": false,
            "only_authenticated_can_join_from_webclient": false
        }}),
        SettingsOption::Plain => json!({
            "security": security,
            "schedule_meeting": {
                "host_video": false,
                "participant_video": false,
                "audio_type": "both",
                "join_before_host": false,
                "enforce_login": false,
                "enforce_login_with_domains": false,
                "enforce_login_domains": "",
                "force_pmi_jbh_password": true,
                "require_password_for_scheduling_new_meetings": s.require_password_for_scheduling_new_meetings,
                "require_password_for_scheduled_meetings": s.require_password_for_scheduling_new_meetings,
                "require_password_for_instant_meetings": true,
                "require_password_for_pmi_meetings": "all",
                "personal_meeting": true,
                "use_pmi_for_scheduled_meetings": false,
                "use_pmi_for_instant_meetings": false,
                "meeting_password_requirement": passcode_requirement(6, false, false)
            },
            "in_meeting": {
                "e2e_encryption": s.e2e_encryption,
                "chat": true,
                "private_chat": true,
                "file_transfer": true,
                "waiting_room": s.waiting_room,
                "allow_live_streaming": s.allow_live_streaming,
                "screen_sharing": true,
                "who_can_share_screen": "host",
                "remote_control": true,
                "annotation": true,
                "whiteboard": true,
                "co_host": true,
                "breakout_room": true,
                "data_center_regions": ["US", "EU"],
                "custom_data_center_regions": false
            },
            "email_notification": {"cloud_recording_available_reminder": true, "jbh_reminder": true, "cancel_meeting_reminder": true},
            "recording": {
                "local_recording": true,
                "cloud_recording": s.cloud_recording,
                "auto_recording": "none",
                "auto_delete_cmr": true,
                "auto_delete_cmr_days": 90,
                "recording_disclaimer": true,
                "ip_address_access_control": {"enable": false}
            },
            "telephony": {"third_party_audio": false, "audio_conference_info": ""},
            "tsp": {"call_out": true, "call_out_countries": [], "show_international_numbers_link": true},
            "feature": {"meeting_capacity": 300, "large_meeting": false, "webinar": true, "cn_meeting": false, "in_meeting": false, "zoom_phone": false},
            "integration": {"linkedin_sales_navigator": false},
            "other_options": {"allow_auto_active_users": false, "blur_snapshot_ios": false, "display_meetings_scheduled_for_others": true},
            "profile": {"recording_storage_location": {"allowed_values": ["US", "DE"], "value": "US"}},
            "audio_conferencing": {"toll_free_and_fee_based_toll_call": {"enable": false}}
        }),
    }
}

/// `GET /accounts/me/lock_settings`: the same layout with booleans, true
/// meaning "locked at account level".
pub fn lock_settings(a: &Account, option: SettingsOption) -> Value {
    let l = &a.lock_settings;
    if option == SettingsOption::MeetingSecurity {
        return json!({"meeting_security": {
            "waiting_room": l.waiting_room,
            "meeting_password": l.require_password_for_scheduled_meetings,
            "end_to_end_encrypted_meetings": l.e2e_encryption,
            "embed_password_in_join_link": false
        }});
    }
    json!({
        "schedule_meeting": {
            "host_video": false,
            "participant_video": false,
            "audio_type": false,
            "join_before_host": false,
            "require_password_for_scheduled_meetings": l.require_password_for_scheduled_meetings,
            "require_password_for_scheduling_new_meetings": l.require_password_for_scheduled_meetings,
            "require_password_for_instant_meetings": false,
            "require_password_for_pmi_meetings": false,
            "personal_meeting": false
        },
        "in_meeting": {
            "e2e_encryption": l.e2e_encryption,
            "chat": l.chat,
            "private_chat": false,
            "file_transfer": l.file_transfer,
            "screen_sharing": l.screen_sharing,
            "waiting_room": l.waiting_room,
            "remote_control": false,
            "allow_live_streaming": false
        },
        "email_notification": {"cloud_recording_available_reminder": false, "jbh_reminder": false},
        "recording": {
            "local_recording": l.local_recording,
            "cloud_recording": l.cloud_recording,
            "auto_recording": l.auto_recording,
            "auto_delete_cmr": false
        },
        "telephony": {"third_party_audio": false},
        "tsp": {"call_out": false, "show_international_numbers_link": false},
        "other_options": {"blur_snapshot": false},
        "audio_conferencing": {"toll_free_and_fee_based_toll_call": false},
        "chat": {"share_files": false}
    })
}

/// Keeps only the named fields (`custom_query_fields`, comma-separated): a
/// named top-level section is kept whole; otherwise sections keep only the
/// named keys, and sections left empty disappear.
pub fn filter_fields(body: Value, fields: &str) -> Value {
    let wanted: Vec<&str> = fields
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .collect();
    if wanted.is_empty() {
        return body;
    }
    let Value::Object(sections) = body else {
        return body;
    };
    let mut out = Map::new();
    for (name, value) in sections {
        if wanted.contains(&name.as_str()) {
            out.insert(name, value);
            continue;
        }
        if let Value::Object(inner) = value {
            let kept: Map<String, Value> = inner
                .into_iter()
                .filter(|(k, _)| wanted.contains(&k.as_str()))
                .collect();
            if !kept.is_empty() {
                out.insert(name, Value::Object(kept));
            }
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_query_fields_filters() {
        let body = json!({"schedule_meeting": {"host_video": false, "join_before_host": true}, "in_meeting": {"chat": true}, "tsp": {}});
        assert_eq!(
            filter_fields(body.clone(), "host_video"),
            json!({"schedule_meeting": {"host_video": false}})
        );
        assert_eq!(
            filter_fields(body.clone(), "in_meeting, join_before_host"),
            json!({"schedule_meeting": {"join_before_host": true}, "in_meeting": {"chat": true}})
        );
        assert_eq!(filter_fields(body.clone(), ""), body);
    }
}
