from django.contrib import admin

from .models import ScheduledRun


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    """Did today's digest / morning post run? Read-only; delete a row to let the job run again."""

    list_display = ("day", "job", "ran_at", "result")
    list_filter = ("job",)
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
