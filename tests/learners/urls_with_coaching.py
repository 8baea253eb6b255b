"""The site's URLs plus a stand-in for the coaching request page, to test the completion page's link."""
from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns

coaching_patterns = ([path("requests/new/", lambda request: HttpResponse("ok"), name="request-create")], "coaching")

urlpatterns = [path("coaching/", include(coaching_patterns)), *[p for p in site_urlpatterns if str(p.pattern) != "coaching/"]]
