"""Users (email log-in, roles, preferred language), associations and intermediaries."""
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from phonenumber_field.modelfields import PhoneNumberField


class Country(models.TextChoices):
    FRANCE = "FR", _("France")
    CHINA = "CN", _("China")
    OTHER = "XX", _("Other country")


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message (SMS)")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Roles are flags because one person often holds several."""

    # Null for an account opened with a phone number alone (unique, several nulls allowed).
    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)
    display_name = models.CharField(_("name"), max_length=150)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # E.164 (+8613812345678). Only a verified number logs in or receives SMS (docs/phone-and-wechat.md).
    phone = PhoneNumberField(_("phone"), unique=True, null=True, blank=True)
    phone_verified_at = models.DateTimeField(_("phone verified"), null=True, blank=True)
    email_verified_at = models.DateTimeField(_("email verified"), null=True, blank=True)
    notification_channel = models.CharField(
        _("send my notifications by"), max_length=10, choices=NotificationChannel.choices, default=NotificationChannel.EMAIL,
        help_text=_("Reminders, invitations and coaching news. Text messages need a verified phone number."),
    )
    association = models.ForeignKey(
        "accounts.Association",
        verbose_name=_("association"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    is_learner = models.BooleanField(_("learner"), default=False)
    is_trainer = models.BooleanField(_("trainer"), default=False)
    is_coach = models.BooleanField(pgettext_lazy("role", "coach"), default=False)
    reminders_enabled = models.BooleanField(
        _("send me learning reminders"), default=True,
        help_text=_("We send at most one reminder when you have not studied for a while."),
    )
    is_staff = models.BooleanField(_("site administrator"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Set when the person deleted their account: the row stays as an anonymous placeholder so that
    # anonymous counts (cohort aggregates, module results) stay right; nothing identifies them any more.
    erased_at = models.DateTimeField(_("account deleted on"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["display_name", "id"]

    def __str__(self) -> str:
        if self.erased_at is not None:
            return str(_("Deleted account"))
        return self.display_name or self.email or str(self.phone or "")

    def save(self, *args, **kwargs):
        if not self.email:
            self.email = None  # "" would collide with another phone-only account on the unique index
        if not self.phone:
            self.phone = None
        super().save(*args, **kwargs)

    @property
    def has_verified_identity(self) -> bool:
        """A verified phone number or email address: needed to publish text (docs/phone-and-wechat.md)."""
        return bool((self.phone and self.phone_verified_at) or (self.email and self.email_verified_at))

    @property
    def sms_number(self) -> str:
        """The number SMS may be sent to (verified only), or ''."""
        return str(self.phone) if self.phone and self.phone_verified_at else ""

    def social_identities_count(self) -> int:
        """WeChat identities linked to this account (social-auth), 0 when WeChat log-in is not installed."""
        return self.social_auth.count() if hasattr(self, "social_auth") else 0

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def is_admin(self) -> bool:
        return self.is_superuser

    @property
    def is_intermediary_staff(self) -> bool:
        """Cached on the instance: the navigation asks on every page."""
        if not hasattr(self, "_is_intermediary_staff"):
            self._is_intermediary_staff = self.pk is not None and self.staff_memberships.exists()
        return self._is_intermediary_staff


class Association(models.Model):
    """The learner's organisation (社会组织 / association)."""

    class Size(models.TextChoices):
        VOLUNTEERS_ONLY = "volunteers", _("Volunteers only")
        SMALL = "1-5", _("1 to 5 employees")
        MEDIUM = "6-20", _("6 to 20 employees")
        LARGE = "21+", _("More than 20 employees")

    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, default=Country.FRANCE)
    city = models.CharField(_("city"), max_length=120, blank=True)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    size = models.CharField(_("size"), max_length=20, choices=Size.choices, default=Size.VOLUNTEERS_ONLY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Intermediary(models.Model):
    """A support organisation (volunteer centre, pro bono lab, community centre) that runs cohorts."""

    class Kind(models.TextChoices):
        VOLUNTEER_CENTRE = "volunteer_centre", _("Volunteer centre")
        PRO_BONO_LAB = "pro_bono_lab", _("Pro bono intermediary")
        COMMUNITY_CENTRE = "community_centre", _("Community centre or NGO incubator")
        OTHER = "other", _("Other support organisation")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, default=Country.FRANCE)
    city = models.CharField(_("city"), max_length=120, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="accounts.IntermediaryStaff", related_name="intermediaries", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("intermediary")
        verbose_name_plural = _("intermediaries")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IntermediaryStaff(models.Model):
    """A staff member of an intermediary; managers may add other staff."""

    intermediary = models.ForeignKey(Intermediary, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_memberships")
    is_manager = models.BooleanField(_("manager"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("intermediary staff member")
        verbose_name_plural = _("intermediary staff")
        constraints = [models.UniqueConstraint(fields=["intermediary", "user"], name="uniq_intermediary_staff")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.intermediary}"


class ConsentRecord(models.Model):
    """What a person agreed to share with whom, as it was shown to them: the text itself, its version
    and language, when. Written at sign-up and at each cohort join (accounts/data_rights/consent.py)."""

    class Context(models.TextChoices):
        SIGNUP = "signup", _("Sign-up")
        COHORT_JOIN = "cohort_join", _("Joining a cohort")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    context = models.CharField(_("when"), max_length=20, choices=Context.choices)
    # The cohort joined (empty at sign-up, or once the cohort is deleted: the text still names it).
    cohort = models.ForeignKey("cohorts.Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recipients = models.CharField(_("shared with"), max_length=300)
    text = models.TextField(_("text shown"), max_length=4000)
    text_version = models.CharField(_("text version"), max_length=20)
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        return f"{self.context} {self.user_id} {self.created_at:%Y-%m-%d}"


class PhoneCode(models.Model):
    """A one-time code sent by SMS. Only its HMAC is stored (accounts/phone.py)."""

    class Purpose(models.TextChoices):
        LOGIN = "login", _("log in or sign up")
        VERIFY = "verify", _("add a phone number to an account")

    phone = models.CharField(max_length=20, db_index=True)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    # Set when a logged-in person adds this number to their account.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    address = models.CharField(max_length=45, blank=True)

    class Meta:
        verbose_name = _("phone code")
        verbose_name_plural = _("phone codes")
        indexes = [models.Index(fields=["phone", "purpose", "-created_at"], name="accounts_phonecode_latest")]

    def __str__(self) -> str:
        return f"{self.phone} ({self.purpose})"
