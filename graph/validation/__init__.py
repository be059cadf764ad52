"""Check data against the SHACL shapes, fast: the shapes are compiled to SPARQL and run by pyoxigraph.

``ontology/shapes.ttl`` is the only place the rules live. :func:`compile_shapes` turns every shape into
SPARQL ``SELECT`` queries that return the *violating* focus nodes (with the path, the offending value
and an index naming the constraint), and :func:`validate` runs them over a *staging store*: a
pyoxigraph store that holds the new data, flattened into its default graph (so a stance in a source's
named graph is checked like any other node, as SHACL over the union of the graphs), plus what the new
data refers to in the target store (the classes of referenced nodes, the existing triples of nodes the
new data extends, the ``rdfs:subClassOf`` axioms of the ontology).

Only the SHACL Core subset the shapes author keeps to is understood (see the head of ``shapes.ttl``):
``sh:targetClass`` and ``sh:targetSubjectsOf`` (the rules a property keeps on every node that uses it:
the datatype, range and domain shapes at the end of ``shapes.ttl``); a node-level ``sh:class`` (the
focus node itself is of the class: a property's ``rdfs:domain``, reported with that property as the
path; the instances of the class are found once per query, not node by node); property shapes with a
single-IRI ``sh:path`` and ``sh:minCount``, ``sh:maxCount``, ``sh:class``, ``sh:datatype``, ``sh:nodeKind``,
``sh:in``, ``sh:minInclusive`` / ``sh:maxInclusive`` / ``sh:minExclusive`` / ``sh:maxExclusive``,
``sh:pattern`` (with ``sh:flags``), ``sh:minLength`` / ``sh:maxLength``, ``sh:uniqueLang`` and ``sh:or``
of datatypes; and SHACL-SPARQL ``sh:sparql`` SELECT
constraints on ``$this``. Anything else in the ``sh:`` namespace makes :func:`compile_shapes` raise
:class:`ShapeCompileError` naming the construct, so a rule is never skipped silently.
:func:`validate_with_pyshacl` runs the reference implementation (pyshacl) over the same staging data;
the tests check that the two agree.

Nodes the new data only *points to* are not re-validated: their classes enter the staging store
through the predicate :data:`CONTEXT_TYPE`, which ``sh:class`` checks follow but target selection
does not.

The modules, in the order the data meets them:

* :mod:`~stancegraph.graph.validation.shapes`: the compiled form (:class:`Constraint`,
  :class:`CompiledShapes` and its :meth:`~CompiledShapes.run`), :data:`CONTEXT_TYPE`, :data:`COMPONENTS`;
* :mod:`~stancegraph.graph.validation.compiler`: :func:`compile_shapes`, the walk over the shapes graph
  that refuses what it cannot compile, and :func:`compiled_shapes`, the shipped shapes compiled once;
* :mod:`~stancegraph.graph.validation.constraint_queries`: the SPARQL each kind of constraint becomes;
* :mod:`~stancegraph.graph.validation.context`: the one validation context, what a check needs from the
  target store (:func:`reference_context`, :func:`state_after_write`, the batched lookups), used by
  :func:`validate`, by the chunks of a statements table and by the service's writes;
* :mod:`~stancegraph.graph.validation.staging`: the staging store (:func:`stage`, :func:`add_context`)
  and :func:`validate`;
* :mod:`~stancegraph.graph.validation.pyshacl_check`: :func:`validate_with_pyshacl`, the cross-check.
"""

from stancegraph.graph.validation.compiler import compile_shapes, compiled_shapes
from stancegraph.graph.validation.context import reference_context, state_after_write
from stancegraph.graph.validation.pyshacl_check import validate_with_pyshacl
from stancegraph.graph.validation.shapes import (
    COMPONENTS,
    CONTEXT_TYPE,
    CompiledShapes,
    Constraint,
    ShapeCompileError,
)
from stancegraph.graph.validation.staging import Staging, add_context, stage, validate
from stancegraph.ontology.namespaces import RDF_LANGSTRING, RDF_TYPE, RDFS_SUBCLASS
from stancegraph.ontology.namespaces import SH_NS as SH
from stancegraph.ontology.namespaces import XSD_NS as XSD

__all__ = [
    "CONTEXT_TYPE",
    "COMPONENTS",
    "ShapeCompileError",
    "Constraint",
    "CompiledShapes",
    "compile_shapes",
    "compiled_shapes",
    "reference_context",
    "state_after_write",
    "Staging",
    "stage",
    "add_context",
    "validate",
    "validate_with_pyshacl",
    # the namespace constants this module used to define, kept for the code that imports them from here
    # (their home is stancegraph.ontology.namespaces)
    "SH",
    "XSD",
    "RDF_TYPE",
    "RDFS_SUBCLASS",
    "RDF_LANGSTRING",
]
