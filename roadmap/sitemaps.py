"""sitemap.xml of the public pages (django.contrib.sitemaps)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Certification, Role, Skill


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
