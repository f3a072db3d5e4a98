"""kb's signal receivers: a city gets its page; a membership change resyncs the user's
editor groups and voids every answer kept about who may read what."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kb.directory import ensure_city_setup, rights_changed, sync_user_groups
from kb.models import City, Membership


@receiver(post_save, sender=City)
def give_city_its_page(sender, instance: City, raw=False, **kwargs):
    if not raw:
        ensure_city_setup(instance)


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def sync_groups_after_membership_change(sender, instance: Membership, raw=False, **kwargs):
    rights_changed(instance.user_id)
    if not raw:
        sync_user_groups(instance.user)
