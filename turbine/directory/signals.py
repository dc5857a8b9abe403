"""Keeps people's search documents in step with their account.

A person makes their profile public or private on the account page, which belongs to the
accounts app; that app knows nothing of the directory, so the directory listens to the user's
saves rather than asking accounts to call it. This only touches the search index, never
business data.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from turbine.accounts.models import User
from turbine.core import search
from turbine.directory.search_indexes import PERSON, index_person


@receiver(post_save, sender=User, dispatch_uid="directory_index_person")
def reindex_person(sender: type[User], instance: User, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    update_fields = kwargs.get("update_fields")
    watched = {"display_name", "commune", "is_profile_public", "bio", "is_active"}
    if update_fields is not None and not watched & set(update_fields):
        return
    if not instance.is_profile_public and kwargs.get("created"):
        return
    user_id = instance.pk
    transaction.on_commit(lambda: index_person(user_id))


@receiver(post_delete, sender=User, dispatch_uid="directory_unindex_person")
def unindex_person(sender: type[User], instance: User, **kwargs: Any) -> None:
    search.unindex(kind=PERSON, object_ids=[str(instance.pk)])
