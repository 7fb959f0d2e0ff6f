from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "erp.people"
    label = "people"
    verbose_name = _("People")

    def ready(self):
        from erp.core.search import register_search_source

        from .search import PEOPLE_SOURCE

        register_search_source(PEOPLE_SOURCE)
