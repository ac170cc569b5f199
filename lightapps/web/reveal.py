"""查看明文 on a page: `?reveal=<field>` read, authorised and audited by `answers_reveal`.

The console and the phone pages show a submission's answers masked; a person who may reveal gets
a 查看 link per masked answer, which reloads the page with `?reveal=<field>`. A refused or
unknown reveal shows the page masked, with the reason, under the error's status.
"""

from lightapps.errors import DomainError
from lightapps.submissions.masking import Reveal, answers_reveal
from lightapps.submissions.selectors import may_reveal


def reveal_from_request(request, submission) -> tuple[Reveal, DomainError | None]:
    """What of the submission to show in clear on this page, and the refusal if any."""
    try:
        reveal = answers_reveal(
            person=request.user, submission=submission, requested=request.GET.get("reveal")
        )
    except DomainError as exc:
        allowed = exc.code != "not_allowed" and may_reveal(request.user, submission)
        return Reveal(fields=frozenset(), allowed=allowed), exc
    return reveal, None
