"""Queries of the auth domain (no commits here: the service owns the unit of work)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.auth.models import ApiToken, User


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_username(self, username: str) -> User | None:
        return self.session.scalar(select(User).where(User.username == username))

    def by_id(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def add(self, user: User) -> User:
        self.session.add(user)
        self.session.flush()
        return user

    def token_by_hash(self, digest: str) -> ApiToken | None:
        return self.session.scalar(
            select(ApiToken).where(ApiToken.token_hash == digest)
        )

    def tokens_of(self, user_id: int) -> list[ApiToken]:
        query = (
            select(ApiToken)
            .where(ApiToken.user_id == user_id, ApiToken.kind == "api")
            .order_by(ApiToken.id)
        )
        return list(self.session.scalars(query))

    def add_token(self, token: ApiToken) -> ApiToken:
        self.session.add(token)
        self.session.flush()
        return token
