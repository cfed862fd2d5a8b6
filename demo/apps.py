from django.apps import AppConfig


class DemoConfig(AppConfig):
    # No models and nothing in the admin: the app only brings its commands and data.
    name = "demo"
