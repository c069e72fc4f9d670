from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import User
from .tasks import password_reset_send
from .validators import validate_printable_name


class SignupForm(UserCreationForm):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        required=False,
        validators=[validate_printable_name],
        help_text=_("As it should appear on your certificates. You can add it later."),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("Optional; used only to reset your password."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template owns the <form> (action, next)
        self.helper.add_input(Submit("submit", _("Create account")))


class FullNameForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("full_name",)
        labels = {"full_name": _("Full name")}
        help_texts = {"full_name": _("Printed on your certificates exactly as written.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template owns the <form> (action, next)
        self.helper.add_input(Submit("submit", _("Save")))

    def clean_full_name(self) -> str:
        validate_printable_name(self.cleaned_data["full_name"])  # before spaces are tidied
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name


class PasswordConfirmForm(forms.Form):
    """The account's own password, asked again before something that cannot be undone."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, submit: str, danger: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", submit, css_class="btn-danger" if danger else ""))

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the lookup and the email left to the task worker: the
    request costs the same for a registered address as for any other, so its response time
    no longer tells which addresses have accounts (issue 26)."""

    def save(self, *, request=None, use_https=False, domain_override=None, **kwargs):
        password_reset_send.enqueue(
            email=self.cleaned_data["email"],
            domain=domain_override or (request.get_host() if request else ""),
            use_https=use_https,
            language=get_language() or "en",
        )


class EmailChangeForm(PasswordConfirmForm):
    """A new email address, with the account's password: a borrowed session alone cannot
    point the password reset at someone else's inbox."""

    email = forms.EmailField(
        label=_("New email"),
        required=False,
        help_text=_("Used only to reset your password. Leave empty to have none."),
    )
    field_order = ["email", "password"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, submit=_("Change email"), danger=False, **kwargs)
