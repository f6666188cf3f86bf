"""The SHACL Core constraint components that the compiled path compiles, one module per group of
SHACL 1.0 section 4 (https://www.w3.org/TR/shacl/#core-components), as pySHACL keeps them.

Each value-level component is a function ``(compiler, shape, value, v)`` giving a SPARQL
expression that is true when the value ``v`` passes, registered by its sh: name in
``VALUE_TESTS``; adding one is a function in its group's module and one line here (and its name
in the closed lists of ``wegokg.validation.shacl.roles``). The components that need a query of
their own (sh:minCount/sh:maxCount, sh:hasValue, sh:uniqueLang) are query builders in their
group's module.

Not compiled, so left to pySHACL by the closed lists: the property pair components (section 4.5:
sh:equals, sh:disjoint, sh:lessThan, sh:lessThanOrEquals), sh:not, sh:and and sh:xone (4.6),
sh:qualifiedValueShape (4.7.3) and sh:closed (4.8.1).
"""

from wegokg.validation.shacl.components import (
    logical,
    other,
    shape_based,
    string_based,
    value_range,
    value_type,
)

VALUE_TESTS = {
    "class": value_type.class_test,
    "datatype": value_type.datatype_test,
    "nodeKind": value_type.node_kind_test,
    "minInclusive": value_range.range_test,
    "maxInclusive": value_range.range_test,
    "minExclusive": value_range.range_test,
    "maxExclusive": value_range.range_test,
    "minLength": string_based.length_test,
    "maxLength": string_based.length_test,
    "pattern": string_based.pattern_test,
    "languageIn": string_based.language_in_test,
    "node": shape_based.node_test,
    "or": logical.or_test,
    "in": other.in_test,
}
