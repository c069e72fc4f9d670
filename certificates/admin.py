from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Certificate, CertificateEvent


class RevokeForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the public verification page."),
    )


class CertificateEventInline(admin.TabularInline):
    model = CertificateEvent
    fields = ["at", "action", "reason", "actor_label"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["display_code", "learner_name", "course_title", "completed_on", "status"]
    list_filter = [
        ("revoked_at", admin.EmptyFieldListFilter),
        ("withdrawn_at", admin.EmptyFieldListFilter),
        "language",
        "course",
    ]
    search_fields = ["code", "learner_name", "course_title", "learner__username"]
    list_select_related = ["course"]
    date_hierarchy = "completed_on"
    readonly_fields = [
        "display_code",
        "learner",
        "course",
        "learner_name",
        "course_title",
        "completed_on",
        "reading_minutes",
        "issued_at",
        "language",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
        "withdrawn_at",
    ]
    fields = readonly_fields
    inlines = [CertificateEventInline]
    actions = ["revoke", "reinstate"]

    def has_add_permission(self, request):
        return False  # certificates are issued by completing a course, never typed in

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: a deleted id would look like a forgery

    @admin.display(description=_("id"), ordering="code")
    def display_code(self, certificate):
        return certificate.display_code

    @admin.display(description=_("status"), ordering="revoked_at")
    def status(self, certificate):
        if certificate.is_withdrawn:
            return "withdrawn at the holder's request"
        return "revoked" if certificate.is_revoked else "valid"

    def view_on_site(self, certificate):
        return certificate.verify_path()

    @admin.action(description=_("Revoke selected certificates…"), permissions=["change"])
    def revoke(self, request, queryset):
        form = RevokeForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            done = []
            for certificate in queryset:
                try:
                    services.certificate_revoke(
                        certificate=certificate,
                        reason=form.cleaned_data["reason"],
                        actor=request.user,
                    )
                    done.append(certificate.display_code)
                except services.CertificateError as error:
                    self.message_user(request, str(error), messages.WARNING)
            if done:
                self.message_user(
                    request,
                    _("Revoked %(count)d: %(codes)s.")
                    % {"count": len(done), "codes": ", ".join(done)},
                )
            return None
        return TemplateResponse(
            request,
            "admin/certificates/certificate/revoke.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Revoke certificates"),
                "form": form,
                "certificates": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Reinstate selected certificates"), permissions=["change"])
    def reinstate(self, request, queryset):
        for certificate in queryset:
            try:
                services.certificate_reinstate(certificate=certificate, actor=request.user)
                self.message_user(
                    request, _("Reinstated %(code)s.") % {"code": certificate.display_code}
                )
            except services.CertificateError as error:
                self.message_user(request, str(error), messages.WARNING)
