from django.contrib import admin
from django.utils.translation import gettext_lazy as _

# The Django admin is for platform staff only (is_staff); schools never see it.
admin.site.site_header = _("ZiO Persona's – platformbeheer")
admin.site.site_title = _("ZiO Persona's platformbeheer")
admin.site.index_title = _("Platformbeheer")
