from django.contrib import admin

from erp.audit.admin import AdminWrites, ServiceWritesAdmin

from .models import TeamBrief
from .services import team_brief_delete, team_brief_save


@admin.register(TeamBrief)
class TeamBriefAdmin(ServiceWritesAdmin):
    list_display = ("department", "active", "replace_morning_posts")
    list_editable = ("active", "replace_morning_posts")
    writes = AdminWrites(save=team_brief_save, delete=team_brief_delete, record="brief")
