//! The driver's [`Transport`] over the real server, through [`crate::api`].

use super::Transport;
use crate::api::{self, ApiError};
use zoufang_domain::protocol::{
    ChangesResponse, PlanReview, ReviewRequest, Submission, SubmissionReceipt,
};

/// Photos are stored as JPEG by the photo pipeline.
const PHOTO_CONTENT_TYPE: &str = "image/jpeg";

/// Talks to the server the app was loaded from, with the logged-in user's token.
pub struct HttpTransport {
    pub token: String,
    /// The user the token belongs to.
    pub user: uuid::Uuid,
}

impl Transport for HttpTransport {
    async fn photo_exists(&self, sha256: &str) -> Result<bool, ApiError> {
        api::photo_exists(&self.token, sha256).await
    }

    async fn put_photo(&self, sha256: &str, bytes: &[u8]) -> Result<(), ApiError> {
        api::put_photo(&self.token, sha256, bytes, PHOTO_CONTENT_TYPE)
            .await
            .map(|_| ())
    }

    async fn submit(&self, submission: &Submission) -> Result<SubmissionReceipt, ApiError> {
        api::submit(&self.token, submission).await
    }

    async fn changes(&self, since: Option<&str>) -> Result<ChangesResponse, ApiError> {
        api::changes(&self.token, since).await
    }

    fn session_user(&self) -> Option<uuid::Uuid> {
        Some(self.user)
    }

    async fn review(&self, request: &ReviewRequest) -> Result<PlanReview, ApiError> {
        api::review(&self.token, request).await
    }

    async fn confirm_session(
        &self,
        session_id: uuid::Uuid,
        version: u32,
    ) -> Result<zoufang_domain::protocol::SessionRecord, ApiError> {
        api::confirm_session(&self.token, session_id, version).await
    }
}
