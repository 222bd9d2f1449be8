"""Cache invalidation, in the same transaction as the change itself.

Every change to the catalogue bumps CatalogueVersion; every change to a user's progress or
certification plan bumps that user's progress_version. Bulk updates send no signals: code
that uses them bumps by hand (the admin's retire action does).
"""

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from .models import (
    CatalogueVersion,
    Certification,
    CertificationProgress,
    CertificationSource,
    Resource,
    Role,
    RoleSkill,
    SalaryBand,
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
    SalaryBand,
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

    User.objects.filter(pk=instance.user_id).update(
        progress_version=models.F("progress_version") + 1
    )


for model in (SkillProgress, CertificationProgress):
    post_save.connect(_progress_changed, sender=model, dispatch_uid=f"progress-{model.__name__}")
    post_delete.connect(
        _progress_changed, sender=model, dispatch_uid=f"progress-del-{model.__name__}"
    )


def _note_content_change(sender, instance, raw=False, **kwargs):
    """Stamp content_changed_at when a tracked field differs from the stored row."""
    if instance.pk is None:
        return
    fields = (*sender.TRACKED_FIELDS, "content_changed_at")
    stored = sender.objects.filter(pk=instance.pk).values(*fields).first()
    if stored is None:
        return
    if any(stored[f] != getattr(instance, f) for f in sender.TRACKED_FIELDS):
        instance.content_changed_at = timezone.now()
    else:
        # A form or a fixture that does not carry the stamp must not erase it.
        instance.content_changed_at = stored["content_changed_at"]


for model in (Skill, Certification):
    pre_save.connect(_note_content_change, sender=model, dispatch_uid=f"content-{model.__name__}")
