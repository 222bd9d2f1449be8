"""sitemap.xml of the public pages (django.contrib.sitemaps)."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap as BaseSitemap
from django.urls import reverse

from .models import Certification, Role, Skill


class Sitemap(BaseSitemap):
    """Absolute links from SITE_URL, never from the request's Host header (whose case and
    port are whatever the client sent)."""

    def get_protocol(self, protocol=None):
        return settings.SITE_URL.partition("://")[0]

    def get_domain(self, site=None):
        return settings.SITE_URL.partition("://")[2]


class PagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "roadmap:home",
            "roadmap:skills",
            "roadmap:certifications",
            "roadmap:sources",
            "roadmap:changes",
            "roadmap:open_data",
        ]

    def location(self, item):
        return reverse(item)


class RoleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Role.objects.order_by("pk")


class SkillSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Skill.objects.order_by("pk")

    def lastmod(self, skill):
        return skill.content_changed_at


class CertificationSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Certification.objects.order_by("pk")

    def lastmod(self, certification):
        return certification.content_changed_at


SITEMAPS = {
    "pages": PagesSitemap,
    "roles": RoleSitemap,
    "skills": SkillSitemap,
    "certifications": CertificationSitemap,
}
