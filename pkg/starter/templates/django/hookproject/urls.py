from django.urls import path

from webhooks.views import hospitable_webhook

urlpatterns = [
    path("webhooks/hospitable", hospitable_webhook),
]
