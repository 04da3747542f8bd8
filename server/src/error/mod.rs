//! [`AppError`]: the one way a handler fails. It logs what the operator needs and tells the client only what it can
//! act on, as an [`ApiErrorBody`] with a stable `code` and a Chinese sentence.
//!
//! [`ApiJson`] is the JSON body extractor every handler uses instead of `axum::Json`, so that a malformed body is a
//! 400/413/415/422 with a code, never axum's plain-text rejection.

use axum::Json;
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use zoufang_domain::protocol::{ApiErrorBody, Conflict, SessionConflict, ValidationRejection};
use zoufang_domain::validation::Finding;

use crate::store::StoreError;

mod json;
pub use json::ApiJson;

/// The largest JSON body the API accepts. Photo uploads have their own, larger limit on their own route.
pub const JSON_BODY_LIMIT_BYTES: usize = 1024 * 1024;

/// The largest photo accepted by `PUT /api/photos/{sha256}`. The app resizes photos to a few hundred KiB.
pub const PHOTO_LIMIT_BYTES: usize = 2 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("phone number is not 11 digits")]
    InvalidPhone,
    #[error("password is empty")]
    EmptyPassword,
    #[error("wrong phone number or password")]
    InvalidCredentials,
    /// Login throttling: this phone number or this client failed too often; wait `retry_after`.
    #[error("too many failed logins; retry after {retry_after:?}")]
    TooManyLoginAttempts { retry_after: Duration },
    /// Every password-hashing slot stayed busy for the whole wait.
    #[error("password hashing is busy; retry after {retry_after:?}")]
    LoginBusy { retry_after: Duration },
    #[error("the account is disabled")]
    AccountDisabled,
    #[error("no bearer token")]
    MissingToken,
    #[error("unknown or revoked token")]
    InvalidToken,
    #[error("expired token")]
    TokenExpired,
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    #[error("JSON does not fit the expected shape: {0}")]
    InvalidBody(String),
    #[error("request body is not declared as JSON")]
    UnsupportedMediaType,
    #[error("request body is larger than the limit")]
    PayloadTooLarge,
    #[error("request body could not be read: {0}")]
    UnreadableBody(String),
    #[error("no such API endpoint")]
    NotFound,
    #[error("method not allowed on this endpoint")]
    MethodNotAllowed,
    /// The caller is logged in but their role may not use this endpoint; the sentence says who can.
    #[error("role may not use this endpoint")]
    Forbidden(&'static str),
    #[error("unknown household")]
    HouseholdNotFound,
    #[error("unknown teaching point")]
    TeachingPointNotFound,
    #[error("the submission id was used before for another record or by another account")]
    IdReused,
    #[error("the edit started from a stale version")]
    StaleBase(Box<Conflict>),
    #[error("the record does not pass validation")]
    ValidationFailed(Vec<Finding>),
    #[error("the record refers to photos that were not uploaded: {0:?}")]
    PhotoMissing(Vec<String>),
    #[error("a household visit may not change the 户编号")]
    HouseholdCodeChanged,
    #[error("attendance lists households outside the teaching point's village: {0:?}")]
    HouseholdsOutsideVillage(Vec<String>),
    #[error("attendance lists households of the village on another teaching point's roster: {0:?}")]
    HouseholdsOffRoster(Vec<String>),
    #[error("record schema version {0} is not supported")]
    UnsupportedSchemaVersion(u32),
    #[error("the path does not end in 64 hexadecimal characters")]
    InvalidSha256,
    #[error("the photo is not JPEG, PNG or WebP")]
    UnsupportedPhotoType,
    #[error("the photo is larger than the limit")]
    PhotoTooLarge,
    #[error("the photo's SHA-256 is {computed}, not the one in the path")]
    HashMismatch { computed: String },
    #[error("no such photo")]
    PhotoNotFound,
    #[error("the photo's bytes are not JPEG, PNG or WebP")]
    UnknownPhotoFormat,
    #[error("the photo was declared as {declared} but its bytes are {detected}")]
    PhotoTypeMismatch {
        declared: String,
        detected: &'static str,
    },
    #[error("the account uploaded more photo bytes than its quota allows")]
    PhotoQuotaExceeded {
        quota_bytes: u64,
        window_hours: i64,
        retry_after_seconds: i64,
    },
    #[error("the record links photos its submitter neither uploaded nor may see: {0:?}")]
    PhotoNotYours(Vec<String>),
    #[error("a household visit may not change the household's helpers")]
    HelpersChanged,
    #[error("no account with the id given as the new helper")]
    HelperAccountNotFound,
    #[error("the new helper's account is neither a helper nor a first secretary")]
    HelperRoleNotAllowed,
    #[error("the new helper's account is disabled")]
    HelperDisabled,
    #[error("the new helper's account does not belong to the household's village")]
    HelperNotInVillage,
    #[error("the new helper would start before the current helper started ({started})")]
    HelperChangeBeforeStart { started: String },
    #[error("the household kept changing while the helper change was written")]
    HouseholdBusy,
    #[error("returning a plan needs comments")]
    CommentsRequired,
    #[error("no plan version was submitted with this id")]
    PlanVersionNotFound,
    #[error("a newer plan version supersedes the reviewed one")]
    Superseded,
    #[error("the reviewer submitted this plan version")]
    OwnPlanReview,
    #[error("malformed changes cursor")]
    InvalidCursor,
    #[error("the data key copy needs a password login of the last minutes")]
    LoginNotFresh,
    #[error("no data key copy for this account")]
    NoDataKey,
    #[error("malformed data key copy")]
    InvalidDataKey,
    #[error("malformed query string: {0}")]
    InvalidQuery(String),
    #[error("the night-school session changed on the server since the phone's base version")]
    SessionConflict(Box<SessionConflict>),
    #[error("a confirmed night-school session was changed without a reason")]
    EditReasonRequired,
    #[error("no night-school session with this id")]
    SessionNotFound,
    #[error("the session belongs to another teaching point than the one sent")]
    SessionPointChanged,
    #[error("the session version to confirm is not the current one")]
    SessionChanged,
    #[error("month must be YYYY-MM")]
    InvalidMonth,
    #[error("submitted_at is outside the accepted range")]
    SubmittedAtOutOfRange,
    #[error("base_version is not a version the server can have")]
    InvalidBaseVersion,
    #[error("the request took longer than the server allows")]
    RequestTimeout,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// Status, stable code and the sentence shown to the person.
    fn parts(&self) -> (StatusCode, &'static str, String) {
        use AppError::*;
        match self {
            InvalidPhone => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_phone",
                "手机号应为 11 位数字。".to_owned(),
            ),
            EmptyPassword => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "empty_password",
                "请输入密码。".to_owned(),
            ),
            InvalidCredentials => (
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "手机号或密码不正确。".to_owned(),
            ),
            TooManyLoginAttempts { retry_after } => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                format!("登录失败次数过多，请{}后再试。", chinese_wait(*retry_after)),
            ),
            LoginBusy { retry_after } => (
                StatusCode::SERVICE_UNAVAILABLE,
                "login_busy",
                format!(
                    "登录的人太多，服务器正忙，请{}后再试。",
                    chinese_wait(*retry_after)
                ),
            ),
            AccountDisabled => (
                StatusCode::UNAUTHORIZED,
                "account_disabled",
                "该账号已停用，请联系乡镇管理员。".to_owned(),
            ),
            MissingToken => (
                StatusCode::UNAUTHORIZED,
                "missing_token",
                "请先登录。".to_owned(),
            ),
            InvalidToken => (
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "登录已失效，请重新登录。".to_owned(),
            ),
            TokenExpired => (
                StatusCode::UNAUTHORIZED,
                "token_expired",
                "登录已过期，请重新登录。".to_owned(),
            ),
            MalformedJson(detail) => (
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("请求内容不是有效的 JSON：{detail}"),
            ),
            InvalidBody(detail) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                format!("请求内容缺少字段或字段类型不对：{detail}"),
            ),
            UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "请求内容须为 JSON（Content-Type: application/json）。".to_owned(),
            ),
            PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!(
                    "请求内容太大，上限为 {} KiB。",
                    JSON_BODY_LIMIT_BYTES / 1024
                ),
            ),
            UnreadableBody(_) => (
                StatusCode::BAD_REQUEST,
                "unreadable_body",
                "无法读取请求内容，请重试。".to_owned(),
            ),
            NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "没有这个接口。".to_owned(),
            ),
            MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "该接口不支持这种请求方法。".to_owned(),
            ),
            Forbidden(message) => (StatusCode::FORBIDDEN, "forbidden", (*message).to_owned()),
            HouseholdNotFound => (
                StatusCode::NOT_FOUND,
                "household_not_found",
                "没有这一户：可能已被删除，请刷新走访户列表。".to_owned(),
            ),
            TeachingPointNotFound => (
                StatusCode::NOT_FOUND,
                "teaching_point_not_found",
                "没有这个教学点，请刷新后再试。".to_owned(),
            ),
            IdReused => (
                StatusCode::CONFLICT,
                "id_reused",
                "这条记录的编号已被另一条内容不同的记录使用，请重新提交为一条新记录。".to_owned(),
            ),
            StaleBase(conflict) => (StatusCode::CONFLICT, "stale_base", conflict.message.clone()),
            SessionConflict(conflict) => (
                StatusCode::CONFLICT,
                "session_conflict",
                conflict.message.clone(),
            ),
            EditReasonRequired => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "edit_reason_required",
                "这次夜校已经确认，修改时请写明修改原因。".to_owned(),
            ),
            SessionNotFound => (
                StatusCode::NOT_FOUND,
                "session_not_found",
                "没有这次夜校记录：可能还没有同步，请刷新后再试。".to_owned(),
            ),
            SessionPointChanged => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "session_point_changed",
                "这次夜校属于另一个教学点，不能改到本教学点。".to_owned(),
            ),
            SessionChanged => (
                StatusCode::CONFLICT,
                "session_changed",
                "这次夜校在你查看后又被修改了，请刷新后确认最新的签到表。".to_owned(),
            ),
            InvalidMonth => (
                StatusCode::BAD_REQUEST,
                "invalid_month",
                "月份格式应为 YYYY-MM，例如 2026-11。".to_owned(),
            ),
            ValidationFailed(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "记录未通过校验：请改正错误，并为每条提示填写说明。".to_owned(),
            ),
            PhotoMissing(hashes) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "photo_missing",
                format!(
                    "以下照片尚未上传，请先上传照片再提交：{}",
                    hashes.join("、")
                ),
            ),
            HouseholdCodeChanged => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "household_code_changed",
                "走访不能修改户编号；户编号有误请联系乡镇管理员。".to_owned(),
            ),
            HouseholdsOutsideVillage(ids) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "household_not_in_village",
                format!("以下农户不属于本教学点所在的村：{}", ids.join("、")),
            ),
            HouseholdsOffRoster(ids) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "household_not_on_roster",
                format!(
                    "以下农户已分到本村另一个教学点，不在本教学点的花名册上：{}",
                    ids.join("、")
                ),
            ),
            UnsupportedSchemaVersion(version) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "unsupported_schema_version",
                format!("记录格式版本 {version} 服务器不支持，请更新服务器或应用。"),
            ),
            InvalidSha256 => (
                StatusCode::BAD_REQUEST,
                "invalid_sha256",
                "照片地址应以 64 位十六进制 SHA-256 结尾。".to_owned(),
            ),
            UnsupportedPhotoType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "照片须为 JPEG、PNG 或 WebP（Content-Type: image/jpeg、image/png 或 image/webp）。"
                    .to_owned(),
            ),
            PhotoTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!(
                    "照片太大，上限为 {} KiB；请缩小后再上传。",
                    PHOTO_LIMIT_BYTES / 1024
                ),
            ),
            HashMismatch { computed } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "hash_mismatch",
                format!(
                    "照片内容与地址中的 SHA-256 不符（实际为 {computed}），可能传输中损坏，请重新上传。"
                ),
            ),
            PhotoNotFound => (
                StatusCode::NOT_FOUND,
                "photo_not_found",
                "服务器上没有这张照片。".to_owned(),
            ),
            UnknownPhotoFormat => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_photo_format",
                "文件内容不是 JPEG、PNG 或 WebP 图片，不能作为照片上传。".to_owned(),
            ),
            PhotoTypeMismatch { declared, detected } => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "photo_type_mismatch",
                format!("照片声明为 {declared}，但内容是 {detected}；请按实际格式重新上传。"),
            ),
            PhotoQuotaExceeded {
                quota_bytes,
                window_hours,
                ..
            } => (
                StatusCode::TOO_MANY_REQUESTS,
                "photo_quota_exceeded",
                format!(
                    "你在 {window_hours} 小时内上传的照片已达上限 {}，请稍后再上传；已拍的照片保存在手机上，不会丢失。",
                    size_text(*quota_bytes)
                ),
            ),
            PhotoNotYours(hashes) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "photo_not_yours",
                format!(
                    "以下照片既不是你上传的，也不属于你可查看的记录，不能引用：{}",
                    hashes.join("、")
                ),
            ),
            HelpersChanged => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "helpers_changed",
                "走访记录不能更改帮扶责任人：更换帮扶责任人由本村驻村第一书记或管理员办理。"
                    .to_owned(),
            ),
            HelperAccountNotFound => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "helper_not_found",
                "没有这个账号，请刷新后重新选择新的帮扶责任人。".to_owned(),
            ),
            HelperRoleNotAllowed => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "helper_role_not_allowed",
                "只有帮扶责任人或驻村第一书记的账号可以担任帮扶责任人。".to_owned(),
            ),
            HelperDisabled => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "helper_disabled",
                "这个账号已停用，不能担任帮扶责任人；请选择其他账号。".to_owned(),
            ),
            HelperNotInVillage => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "helper_not_in_village",
                "只能选择本村的帮扶责任人或驻村第一书记担任这一户的帮扶责任人。".to_owned(),
            ),
            HelperChangeBeforeStart { started } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "helper_change_before_start",
                format!("新责任人的开始日期须晚于现任责任人的开始日期（{started}）。"),
            ),
            HouseholdBusy => (
                StatusCode::CONFLICT,
                "household_busy",
                "这一户正在被其他人修改，请稍后再试。".to_owned(),
            ),
            CommentsRequired => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "comments_required",
                "退回帮扶计划时请填写意见。".to_owned(),
            ),
            PlanVersionNotFound => (
                StatusCode::NOT_FOUND,
                "plan_version_not_found",
                "没有找到这份帮扶计划，请刷新后再试。".to_owned(),
            ),
            Superseded => (
                StatusCode::CONFLICT,
                "superseded",
                "帮扶责任人已提交了更新的计划，请审核最新版本。".to_owned(),
            ),
            OwnPlanReview => (
                StatusCode::FORBIDDEN,
                "own_plan_review",
                "自己提交的帮扶计划不能由自己审核。".to_owned(),
            ),
            InvalidCursor => (
                StatusCode::BAD_REQUEST,
                "invalid_cursor",
                "同步位置无效，请不带 since 重新获取全部走访户。".to_owned(),
            ),
            LoginNotFresh => (
                StatusCode::FORBIDDEN,
                "login_not_fresh",
                "请先用手机号和密码重新登录，再取回手机数据的密钥。".to_owned(),
            ),
            NoDataKey => (
                StatusCode::NOT_FOUND,
                "no_data_key",
                "服务器上没有这个账号的手机数据密钥。".to_owned(),
            ),
            InvalidDataKey => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_data_key",
                "手机数据密钥的格式不对，请更新应用后重新登录。".to_owned(),
            ),
            InvalidQuery(_) => (
                StatusCode::BAD_REQUEST,
                "invalid_query",
                "请求参数格式不对。".to_owned(),
            ),
            SubmittedAtOutOfRange => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "submitted_at_out_of_range",
                "提交时间不对：请检查手机的日期和时间后重新提交。".to_owned(),
            ),
            InvalidBaseVersion => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_base_version",
                "记录的版本号无效，请刷新这一户后重新提交。".to_owned(),
            ),
            RequestTimeout => (
                StatusCode::REQUEST_TIMEOUT,
                "request_timeout",
                "请求用时过长，已中断；网络好一些时会自动重试，已填写的内容不会丢失。".to_owned(),
            ),
            Store(_) | Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "服务器内部出错，请稍后再试；已填写的内容不会丢失。".to_owned(),
            ),
        }
    }
}

/// A size for people: whole MiB from 1 MiB up, KiB below.
fn size_text(bytes: u64) -> String {
    const KIB: u64 = 1024;
    if bytes >= KIB * KIB {
        format!("{} MiB", bytes / (KIB * KIB))
    } else {
        format!("{} KiB", bytes / KIB)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        if status.is_server_error() {
            // The detail (SQL error, join error) goes to the log only: it helps the operator, not the person.
            tracing::error!(error = %self, code, "request failed");
        } else {
            tracing::debug!(error = %self, code, "request refused");
        }
        // RFC 6750 §3: a 401 tells the client which scheme to use.
        let challenge = match &self {
            AppError::InvalidToken | AppError::TokenExpired | AppError::AccountDisabled => {
                r#"Bearer error="invalid_token""#
            }
            _ => "Bearer",
        };
        // A quota or rate refusal says when to try again (RFC 9110 §10.2.3).
        let retry_after = match &self {
            AppError::PhotoQuotaExceeded {
                retry_after_seconds,
                ..
            } => Some(u64::try_from(*retry_after_seconds).unwrap_or(1).max(1)),
            AppError::TooManyLoginAttempts { retry_after }
            | AppError::LoginBusy { retry_after } => Some(retry_after_seconds(*retry_after)),
            _ => None,
        };
        let mut response = match self {
            // These two carry more than a code and a sentence: the server copy, or the findings.
            AppError::StaleBase(conflict) => (status, Json(*conflict)).into_response(),
            AppError::SessionConflict(conflict) => (status, Json(*conflict)).into_response(),
            AppError::ValidationFailed(findings) => (
                status,
                Json(ValidationRejection {
                    code: code.to_owned(),
                    message,
                    findings,
                }),
            )
                .into_response(),
            _ => (
                status,
                Json(ApiErrorBody {
                    code: code.to_owned(),
                    message,
                }),
            )
                .into_response(),
        };
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        response
    }
}

/// Whole seconds for `Retry-After`, rounded up and at least 1 (0 would invite an immediate retry).
fn retry_after_seconds(wait: Duration) -> u64 {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    seconds.max(1)
}

/// A wait as a person reads it: `30 秒`, `2 分钟` (rounded up to the minute from one minute on).
fn chinese_wait(wait: Duration) -> String {
    let seconds = retry_after_seconds(wait);
    if seconds < 60 {
        format!(" {seconds} 秒")
    } else {
        format!(" {} 分钟", seconds.div_ceil(60))
    }
}

#[cfg(test)]
mod tests;
