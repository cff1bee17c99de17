"""Pages of the doen-sessie. So far: the action list, where the next steps of the sessions are
followed up."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zio.common.types import OrganisationRequest
from zio.organisations.constants import Role
from zio.organisations.permissions import membership_required

from . import selectors, services
from .forms import ActionForm
from .models import Action


def _actions_page(
    request: OrganisationRequest,
    *,
    failed: Action | None = None,
    form: ActionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actions = list(selectors.actions_for_organisation(request.organisation))
    can_edit = request.membership.can_edit
    rows = []
    for action in actions:
        if failed is not None and action.pk == failed.pk:
            rows.append((action, form))
        elif can_edit:
            rows.append(
                (
                    action,
                    ActionForm(
                        prefix=f"actie-{action.pk}",
                        initial={
                            "status": action.status,
                            "owner": action.owner,
                            "due_date": action.due_date,
                        },
                    ),
                )
            )
        else:
            rows.append((action, None))
    return render(
        request,
        "workshops/actions.html",
        {
            "rows": rows,
            "overdue": sum(1 for a in actions if a.is_overdue),
            "can_edit": can_edit,
        },
        status=status,
    )


@membership_required()
@require_GET
def action_list(request: OrganisationRequest) -> HttpResponse:
    return _actions_page(request)


@membership_required(Role.OPSTELLER)
@require_POST
def action_update(request: OrganisationRequest, action_id: int) -> HttpResponse:
    try:
        action = selectors.action_for_organisation(request.organisation, action_id)
    except Action.DoesNotExist:
        raise Http404 from None
    form = ActionForm(request.POST, prefix=f"actie-{action.pk}")
    if not form.is_valid():
        return _actions_page(request, failed=action, form=form, status=400)
    data = form.cleaned_data
    try:
        services.action_update(
            action=action,
            status=data["status"],
            owner=data["owner"],
            due_date=data["due_date"],
            clear_due_date=data["due_date"] is None,
        )
    except ValidationError as exc:
        form.add_error(None, exc.messages[0])
        return _actions_page(request, failed=action, form=form, status=400)
    messages.success(request, _("Actie bijgewerkt: %(title)s") % {"title": action.title})
    return redirect(reverse("workshops:actions") + f"#actie-{action.pk}")
