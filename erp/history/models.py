from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedSearch(models.Model):
    """A person's search, kept under a name; shared with a department, its members run it too.

    Only the query parameters are stored: whoever runs it sees what their own permissions show.
    """

    owner = models.ForeignKey(
        "people.Employee", verbose_name=_("owner"), on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=80)
    params = models.JSONField(_("search"), default=dict)
    shared_with = models.ForeignKey(
        "people.Department",
        verbose_name=_("shared with"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shared_searches",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        indexes = [models.Index(fields=["shared_with", "name"], name="history_saved_shared")]

    def __str__(self):
        return self.name
