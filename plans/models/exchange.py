"""What passes in and out: an uploaded import on its way into a plan, and a private calendar feed's token."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.models.plan import Plan


def import_upload_path(job, filename):
    return f"imports/{job.plan.municipality.slug}/{job.plan.year}/{timezone.now():%Y%m%d-%H%M%S}-{filename}"


class ImportJob(models.Model):
    """One uploaded file on its way into a plan: checked (a preview), then, once confirmed, imported.

    It has its own page, so an officer can leave while a large file is processed and find it again.
    """

    class Status(models.TextChoices):
        # Uploaded; the rows are being read and checked.
        CHECKING = "checking", _("Checking")
        # Every row is sound; the preview waits for the officer's confirmation.
        READY = "ready", _("Ready to import")
        # The file, or at least one row, is bad: nothing can be imported.
        REFUSED = "refused", _("Refused")
        # Confirmed; being written.
        IMPORTING = "importing", _("Importing")
        # Written: the plan holds the file's rows.
        DONE = "done", _("Imported")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), related_name="imports", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL
    )
    file = models.FileField(_("file"), upload_to=import_upload_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    create_departments = models.BooleanField(_("create missing departments"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CHECKING)
    # The whole file was refused (not a spreadsheet, a missing column …): the reason.
    message = models.TextField(_("message"), blank=True)
    # The preview or the outcome: ImportResult.as_dict().
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.filename} → {self.plan}"

    def get_absolute_url(self):
        return reverse(
            "plans:import_job",
            kwargs={"municipality": self.plan.municipality.slug, "year": self.plan.year, "job": self.pk},
        )

    @property
    def busy(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)

    @property
    def progress_key(self) -> str:
        return f"import-progress-{self.pk}"


class CalendarToken(models.Model):
    """A private, revocable address for one person's calendar feed of the plans they may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="calendar_token",
        on_delete=models.CASCADE,
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")

    def __str__(self):
        return f"{self.user}"
