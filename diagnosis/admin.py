from django import forms
from django.contrib import admin
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from diagnosis import models
from diagnosis.services import providers


@admin.register(models.User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_programme_admin", "is_staff", "is_active"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "name"]}),
        (_("Roles"), {"fields": ["is_programme_admin", "is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "name", "password1", "password2"]})]


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(models.Firm)
class FirmAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "industry", "size_class", "district"]
    list_filter = ["district", "size_class", "industry"]
    search_fields = ["name", "credit_code"]
    readonly_fields = ["size_class"]
    inlines = [MembershipInline]


class ReadOnlyWhenPublishedMixin(BaseModelAdmin):
    """Published questionnaire content cannot be edited: a new version is a new file."""

    def _published(self, obj: Model) -> bool:
        version = getattr(obj, "questionnaire", obj)
        if hasattr(obj, "question"):
            version = obj.question.questionnaire
        return version is not None and getattr(version, "status", "draft") != "draft"

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is not None and self._published(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is not None and self._published(obj):
            return False
        return super().has_delete_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(models.QuestionnaireVersion)
class QuestionnaireVersionAdmin(ReadOnlyWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["code", "version", "status", "title_zh_hans", "published_at"]
    list_filter = ["status"]
    readonly_fields = ["checksum", "loaded_at", "published_at", "snapshot"]


@admin.register(models.Dimension)
class DimensionAdmin(ReadOnlyWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["code", "compares_as", "questionnaire", "name_zh_hans", "weight", "critical"]
    list_filter = ["questionnaire"]


@admin.register(models.Question)
class QuestionAdmin(ReadOnlyWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["code", "questionnaire", "type", "weight", "allow_na", "depends_on"]
    list_filter = ["questionnaire", "type"]
    search_fields = ["code", "text_zh_hans", "text_en"]


@admin.register(models.Option)
class OptionAdmin(ReadOnlyWhenPublishedMixin, admin.ModelAdmin):
    list_display = ["question", "value", "score", "label_zh_hans"]
    list_select_related = ["question__questionnaire"]


@admin.register(models.Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["firm", "questionnaire", "status", "created_at", "submitted_at"]
    list_filter = ["status", "questionnaire"]
    search_fields = ["firm__name", "firm__credit_code"]
    raw_id_fields = ["firm", "previous", "created_by", "validated_by"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the application writes and nobody edits: answers, score results, the
    consultants' validations, the audit trail. Viewable; never added, changed or deleted
    here (nor deleted along with a firm or an assessment: Django's admin refuses a
    deletion that would take such rows with it)."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(models.Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "question", "value", "not_applicable", "answered_at"]
    raw_id_fields = ["assessment", "question", "answered_by"]


@admin.register(models.ScoreResult)
class ScoreResultAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "kind", "overall", "level", "computed_at"]
    list_filter = ["kind"]


@admin.register(models.DimensionScore)
class DimensionScoreAdmin(ReadOnlyAdmin):
    list_display = ["result", "dimension", "score", "level", "gap"]


@admin.register(models.ReportPdf)
class ReportPdfAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "language", "audience", "version", "rendered_at", "failed_at"]
    list_filter = ["audience", "language"]


@admin.register(models.WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "seen_at"]


@admin.register(models.AnswerValidation)
class AnswerValidationAdmin(ReadOnlyAdmin):
    list_display = ["answer", "confirmed", "validated_by", "validated_at"]


@admin.register(models.WarningResolution)
class WarningResolutionAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "code", "resolved_by", "resolved_at"]


@admin.register(models.PopulationFirm)
class PopulationFirmAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "district", "industry", "size_class", "firm"]
    list_filter = ["district", "size_class", "above_scale", "specialised"]
    search_fields = ["name", "credit_code"]
    raw_id_fields = ["firm"]


@admin.register(models.DistrictOfficer)
class DistrictOfficerAdmin(admin.ModelAdmin):
    list_display = ["user", "district"]
    list_filter = ["district"]
    autocomplete_fields = ["user"]


@admin.register(models.DistrictQuota)
class DistrictQuotaAdmin(admin.ModelAdmin):
    list_display = ["district", "target", "updated_at", "updated_by"]
    readonly_fields = ["updated_by"]


@admin.register(models.PopulationImport)
class PopulationImportAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "status", "uploaded_at", "rows_total", "rows_valid"]


@admin.register(models.OutreachCampaign)
class OutreachCampaignAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "status", "created_by", "firms_count"]


admin.site.register(models.Membership)
admin.site.register(models.Invitation)
admin.site.register(models.JoinRequest)
admin.site.register(models.DimensionGoal)
admin.site.register(models.Provider)
admin.site.register(models.Assignment)
admin.site.register(models.ReviewComment)


@admin.register(models.AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor", "firm", "assessment"]
    list_filter = ["action"]


class ProviderMembershipForm(forms.ModelForm):
    class Meta:
        model = models.ProviderMembership
        fields = ["user", "provider", "role"]

    def clean_user(self) -> models.User:
        user = self.cleaned_data["user"]
        if models.Membership.objects.filter(user=user).exists():
            raise forms.ValidationError(
                _("%(user)s answers for a firm and so cannot work for a diagnosis provider.")
                % {"user": user}
            )
        return user


@admin.register(models.ProviderMembership)
class ProviderMembershipAdmin(admin.ModelAdmin):
    """Staff changes go through services/providers.py: a consultant who leaves or moves
    loses their firms at once, which go back to the provider manager's queue, audited."""

    form = ProviderMembershipForm
    list_display = ["user", "provider", "role"]
    list_filter = ["provider", "role"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: models.ProviderMembership | None = None
    ) -> list[str]:
        return ["user"] if obj is not None else []

    def save_model(
        self,
        request: HttpRequest,
        obj: models.ProviderMembership,
        form: forms.ModelForm,
        change: bool,
    ) -> None:
        actor = request.user if isinstance(request.user, models.User) else None
        if not change:
            obj.pk = providers.provider_member_add(
                user=obj.user, provider=obj.provider, role=obj.role, actor=actor
            ).pk
            return
        if "provider" in form.changed_data:
            stored = models.ProviderMembership.objects.get(pk=obj.pk)
            providers.provider_member_move(membership=stored, provider=obj.provider, actor=actor)
        obj.save()

    def delete_model(self, request: HttpRequest, obj: models.ProviderMembership) -> None:
        actor = request.user if isinstance(request.user, models.User) else None
        providers.provider_member_remove(membership=obj, actor=actor)

    def delete_queryset(
        self, request: HttpRequest, queryset: QuerySet[models.ProviderMembership]
    ) -> None:
        for membership in queryset.select_related("user"):
            self.delete_model(request, membership)
