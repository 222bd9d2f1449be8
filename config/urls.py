from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from roadmap.api import api
from roadmap.review import review_queue
from roadmap.sitemaps import SITEMAPS

from . import views

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("admin/review/", admin.site.admin_view(review_queue), name="review_queue"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("", include("accounts.urls")),
    path("", include("roadmap.urls")),
]

if settings.BENCHMARK_ENDPOINTS:
    urlpatterns.insert(0, path("bench/floor/", views.floor))
