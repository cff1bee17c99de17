from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Django's renderer with our field template: labels without a trailing colon, as the
    Dutch government's design guidance has them, and our own widget templates."""

    field_template_name = "includes/field.html"
