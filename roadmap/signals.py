"""Cache invalidation, in the same transaction as the change itself.

Every change to the catalogue bumps CatalogueVersion; every change to a user's progress or
certification plan bumps that user's progress_version (User.bump_progress_version). What
the keys hold and how long entries live: roadmap/caching.py. Bulk updates send no signals:
code that uses them bumps by hand (the admin's retire action does).
"""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from . import changelog
from .models import (
    CatalogueVersion,
    Certification,
    CertificationProgress,
    CertificationSource,
    CheckAttempt,
    CheckQuestion,
    Claim,
    Resource,
    Role,
    RoleSkill,
    Skill,
    SkillArea,
    SkillProgress,
    Source,
)

CATALOGUE_MODELS = [
    Source,
    Role,
    SkillArea,
    Skill,
    Resource,
    RoleSkill,
    Certification,
    CertificationSource,
    Claim,
    CheckQuestion,
]
CATALOGUE_M2M = [
    Role.next_roles.through,
    Role.sources.through,
    Skill.prerequisites.through,
    Certification.successors.through,
    Certification.skills.through,
    Certification.roles.through,
]


def _bump(sender, **kwargs):
    CatalogueVersion.bump()


for model in CATALOGUE_MODELS:
    post_save.connect(_bump, sender=model, dispatch_uid=f"catalogue-save-{model.__name__}")
    post_delete.connect(_bump, sender=model, dispatch_uid=f"catalogue-delete-{model.__name__}")


@receiver(m2m_changed, dispatch_uid="catalogue-m2m")
def _bump_m2m(sender, action, **kwargs):
    if sender in CATALOGUE_M2M and action in ("post_add", "post_remove", "post_clear"):
        CatalogueVersion.bump()


def _progress_changed(sender, instance, **kwargs):
    from accounts.models import User

    User(pk=instance.user_id).bump_progress_version()  # no query for the user itself


# A passed self-check shows on My path ("checked on ..."), so an attempt moves it too.
for model in (SkillProgress, CertificationProgress, CheckAttempt):
    post_save.connect(_progress_changed, sender=model, dispatch_uid=f"progress-{model.__name__}")
    post_delete.connect(
        _progress_changed, sender=model, dispatch_uid=f"progress-del-{model.__name__}"
    )


# "Updated since you marked it": the fields TRACKED marks as flagging (roadmap/changelog.py).
for model in (Skill, Certification):
    pre_save.connect(
        changelog.stamp_content, sender=model, dispatch_uid=f"content-{model.__name__}"
    )
pre_save.connect(changelog.stamp_claim_subject, sender=Claim, dispatch_uid="claim-saving")
post_delete.connect(
    changelog.stamp_deleted_claim_subject, sender=Claim, dispatch_uid="claim-deleted"
)


# The public changelog (roadmap/changelog.py): one entry per changed fact, same transaction.
for model in changelog.TRACKED:
    pre_save.connect(changelog.before_save, sender=model, dispatch_uid=f"log-pre-{model.__name__}")
    post_save.connect(
        changelog.after_save, sender=model, dispatch_uid=f"log-post-{model.__name__}"
    )
pre_save.connect(changelog.claim_before_save, sender=Claim, dispatch_uid="log-claim-pre")
post_save.connect(changelog.claim_after_save, sender=Claim, dispatch_uid="log-claim-post")
post_delete.connect(changelog.claim_deleted, sender=Claim, dispatch_uid="log-claim-deleted")
pre_save.connect(
    changelog.question_before_save, sender=CheckQuestion, dispatch_uid="log-question-pre"
)
post_save.connect(
    changelog.question_after_save, sender=CheckQuestion, dispatch_uid="log-question-post"
)
post_delete.connect(
    changelog.question_deleted, sender=CheckQuestion, dispatch_uid="log-question-deleted"
)
post_save.connect(changelog.role_skill_saved, sender=RoleSkill, dispatch_uid="log-roleskill")
post_delete.connect(
    changelog.role_skill_deleted, sender=RoleSkill, dispatch_uid="log-roleskill-del"
)
m2m_changed.connect(
    changelog.successors_changed,
    sender=Certification.successors.through,
    dispatch_uid="log-successors",
)


@receiver(user_logged_in, dispatch_uid="roadmap_pending_status")
def apply_pending_status(sender, request, user, **kwargs):
    """A status clicked after the session lapsed is set once the user is back."""
    if request is not None and hasattr(request, "session"):
        from .pending import apply_pending_status as apply

        apply(request, user)
