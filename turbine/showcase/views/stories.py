"""Stories: the public list filtered by commune, theme and scale; a story's page; writing,
proposing and reviewing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from turbine.core.exceptions import TurbineError
from turbine.core.markdown import render_markdown
from turbine.showcase import selectors
from turbine.showcase.forms import ReviewForm, StoryFilterForm, StoryForm
from turbine.showcase.services import people as services
from turbine.showcase.views._common import apply_error, paginate, raise_http, require_perm


def story_list(request: HttpRequest) -> HttpResponse:
    form = StoryFilterForm(request.GET or None)
    qs = selectors.story_list(filters=form.filters())
    return render(
        request,
        "showcase/stories/story_list.html",
        {
            "form": form,
            "can_propose": request.user.has_perm("showcase.propose_story"),
            "can_review": request.user.has_perm("showcase.review_story"),
            **paginate(qs, form.page_number()),
        },
    )


def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        story = selectors.get_story(user=request.user, story_id=pk)
    except TurbineError as error:
        raise_http(error)
        raise
    return render(
        request,
        "showcase/stories/story_detail.html",
        {
            "story": story,
            "body_html": render_markdown(story.body),
            "projects": list(story.projects.all()),
            "portraits": list(story.portraits.all()),
            "themes": list(story.themes.all()),
            "communes": list(story.communes.all()),
            "cited": selectors.story_steering(story=story),
            "can_edit": request.user.has_perm("showcase.edit_story", story),
            "review_form": ReviewForm() if request.user.has_perm("showcase.review_story") else None,
        },
    )


def _data(form: StoryForm, request: HttpRequest) -> services.StoryData:
    d = form.cleaned_data
    return services.StoryData(
        title=d["title"],
        summary=d["summary"],
        body=d["body"],
        scope=d["scope"],
        objective=d["objective"],
        indicator_note=d["indicator_note"],
        policy_level=d["policy_level"],
        policy=d["policy"],
        project_ids=d["projects"],
        commune_codes=d["communes"],
        theme_slugs=d["themes"],
        objective_ids=d["steering_objectives"],
        indicator_ids=d["steering_indicators"],
        image=request.FILES.get("image"),
        image_alt=d["image_alt"],
    )


@login_required
def story_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "showcase.propose_story")
    form = StoryForm(request.POST or None, request.FILES or None, initial={"scope": "local"})
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "proposer"
        try:
            story = services.story_create(
                actor=request.user, data=_data(form, request), submit=submit
            )
        except TurbineError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                _("Récit publié.")
                if story.status == "publie"
                else _("Récit proposé : l'équipe de la Turbine va le relire.")
                if submit
                else _("Brouillon enregistré."),
            )
            return redirect(story.get_absolute_url())
    return render(
        request,
        "showcase/stories/story_form.html",
        {"form": form, "is_staff": request.user.has_perm("showcase.review_story")},
    )


@login_required
def story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        story = services.get_story_for_edit(user=request.user, story_id=pk)
    except TurbineError as error:
        raise_http(error)
        messages.error(request, error.message)
        return redirect("showcase:story_detail", pk=pk)
    initial = {
        "title": story.title,
        "summary": story.summary,
        "body": story.body,
        "scope": story.scope,
        "objective": story.objective,
        "indicator_note": story.indicator_note,
        "policy_level": story.policy_level,
        "policy": story.policy,
        "projects": ", ".join(str(p.pk) for p in story.projects.all()),
        "communes": [c.code for c in story.communes.all()],
        "themes": [t.slug for t in story.themes.all()],
        "steering_objectives": [o.pk for o in story.steering_objectives.all()],
        "steering_indicators": [i.pk for i in story.steering_indicators.all()],
        "image_alt": story.image_alt,
    }
    form = StoryForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.story_update(
                actor=request.user,
                story_id=pk,
                data=_data(form, request),
                submit=request.POST.get("action") == "proposer",
            )
        except TurbineError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Récit enregistré."))
            return redirect("showcase:story_detail", pk=pk)
    return render(
        request,
        "showcase/stories/story_form.html",
        {"form": form, "story": story, "is_staff": request.user.has_perm("showcase.review_story")},
    )


@login_required
def story_mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "showcase/stories/story_mine.html",
        {"stories": list(selectors.stories_of(user=request.user)[:200])},
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    require_perm(request, "showcase.review_story")
    return render(
        request,
        "showcase/stories/review_queue.html",
        {"stories": list(selectors.stories_to_review()[:200])},
    )


@login_required
@require_POST
def story_review(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "showcase.review_story")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez de publier le récit ou de le renvoyer à son auteur."))
        return redirect("showcase:story_detail", pk=pk)
    try:
        story = services.story_review(
            actor=request.user,
            story_id=pk,
            publish=form.cleaned_data["decision"] == "publier",
            note=form.cleaned_data["note"],
        )
    except TurbineError as error:
        raise_http(error)
        messages.error(request, error.message)
        return redirect("showcase:story_detail", pk=pk)
    messages.success(
        request,
        _("Récit publié.") if story.status == "publie" else _("Récit renvoyé à son auteur."),
    )
    return redirect("showcase:story_review_queue")
