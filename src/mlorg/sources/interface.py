"""The one extension point of ``mlorg import``: a :class:`Source` reads a system, returns a :class:`Fragment`.

To add a kind (an HR system, a catalog, a chat export): write a module in ``mlorg.sources`` with
a subclass of :class:`Source`, and name it in :data:`mlorg.sources.KINDS`. The command, the
privacy handling, the validation and the atomic write are shared; a source only reads.

A source must:

- return spec items (``mlorg.spec.models`` types) that carry a :class:`Provenance` naming the
  system, the file or URL and the record's own id;
- name people only through :meth:`ImportOptions.person` (pseudonymous unless ``--keep-names``);
- copy nothing the spec has no field for;
- raise :class:`~mlorg.errors.SpecError` (a located problem: file or URL, line or record, field)
  for bad input and :class:`~mlorg.errors.UsageError` for bad options; never anything else on purpose.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from mlorg.sources.people import PersonIds
from mlorg.spec.models import Feature, Forum, Lists, Model, Person, Provenance, Review, Team, Tie

__all__ = ["Fragment", "ImportOptions", "PersonIds", "Provenance", "Source"]


@dataclass(frozen=True)
class Fragment:
    """What one source read: spec items, each with its provenance, plus notes for the user.

    ``lists`` says which lists the source covers completely (a team's own ``people_list`` says it
    per team). ``headcount`` is the organization's size when the source knows it (an HR export).
    ``notes`` are told to the user and written as comments at the top of the fragment (titles
    with no role, managers missing from the export): what was read but not used is never silent.
    """

    system: str
    teams: tuple[Team, ...] = ()
    people: tuple[Person, ...] = ()
    models: tuple[Model, ...] = ()
    features: tuple[Feature, ...] = ()
    forums: tuple[Forum, ...] = ()
    ties: tuple[Tie, ...] = ()  # observed collaboration, written as the `collaboration` section
    reviews: tuple[Review, ...] = ()  # changes to code a CODEOWNERS team owns (`collaboration.reviews`)
    lists: Lists | None = None
    headcount: int | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportOptions:
    """What the user asked for, shared by every source.

    ``people`` turns a person's identities (email, system id) into the spec id, pseudonymous by
    default. ``mapping`` is ``--map COLUMN=FIELD``; ``settings`` is ``--option KEY=VALUE`` (each
    source declares the keys it takes in :attr:`Source.options`). ``timeout`` bounds every
    network call, in seconds.
    """

    people: PersonIds
    mapping: Mapping[str, str] = field(default_factory=dict)
    settings: Mapping[str, str] = field(default_factory=dict)
    timeout: float = 20.0


class Source(ABC):
    """A reader of one kind of system. Subclasses set the class attributes and implement :meth:`read`."""

    #: The KIND of ``mlorg import KIND``, also the ``provenance.system`` of what it reads.
    kind: ClassVar[str]
    #: One line for ``mlorg import --help`` and the docs.
    summary: ClassVar[str]
    #: ``--option`` keys this source takes, each with a one-line help.
    options: ClassVar[Mapping[str, str]] = {}
    #: Whether ``--map COLUMN=FIELD`` means something to this source.
    takes_mapping: ClassVar[bool] = False

    @abstractmethod
    def read(self, inputs: Sequence[str], options: ImportOptions) -> Fragment:
        """Read every input (a file path or a URL, as the user gave it) into one fragment."""
