from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "turbine.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def ready(self) -> None:
        from turbine.accounts import personal_data_sections  # noqa: F401  (registrations)
        from turbine.accounts.services import api_token_authenticate
        from turbine.core.api import register_token_authenticator

        register_token_authenticator(api_token_authenticate)
