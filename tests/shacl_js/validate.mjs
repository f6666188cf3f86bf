#!/usr/bin/env node
// Independent SHACL validation with shacl-engine (rdf-ext), used by the wegokg test suite to
// cross-check pyshacl.
//
//   node tests/shacl_js/validate.mjs --shapes S.ttl [--shapes S2.ttl ...] --data D.ttl [--data D2.ttl ...]
//
// Prints one JSON object on stdout:
//   {"conforms": bool, "results": [{"focusNode", "shape", "path", "component", "severity", "message",
//                                   "value"}]}
// ("message" is a list of strings; "value" is the sh:value term or null; both are informative only.)
// Exit codes follow pyshacl's CLI: 0 conforms, 1 does not conform, 2 error (message on stderr).
//
// Term strings: IRIs as the plain IRI, literals as their lexical form, blank nodes as "_:" + label.
// "shape" is an IRI wherever possible: a blank-node shape is replaced by the IRI of the shape that
// points to it with sh:property (walking up until an IRI is found). "path" is the IRI of a
// predicate path, a SPARQL-like string for complex paths, or null.
//
// One adjustment makes shacl-engine follow the SHACL spec (and pyshacl) on class membership:
// shacl-engine resolves rdfs:subClassOf for sh:targetClass / sh:class in the *shapes* dataset,
// while SHACL defines "SHACL instance" over the *data* graph. So the shapes dataset handed to the
// engine gets the data's rdfs:subClassOf triples, and loses its own.
//
// Shapes that shacl-engine 1.1.2 would silently misvalidate are refused (exit 2) rather than
// reported wrongly: see checkSupported().

import { readFileSync } from 'node:fs'
import { register } from 'node:module'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import rdfDataModel from '@rdfjs/data-model'
import rdfDataset from '@rdfjs/dataset'
import { Parser } from 'n3'
import { Validator } from 'shacl-engine'

const SH = 'http://www.w3.org/ns/shacl#'
const RDFS_SUBCLASSOF = 'http://www.w3.org/2000/01/rdf-schema#subClassOf'

const USAGE = 'usage: validate.mjs --shapes FILE [--shapes FILE ...] --data FILE [--data FILE ...] [--stock-sparql]'

class HarnessError extends Error {}

function fail (message) {
  process.stderr.write(`validate.mjs: error: ${message.replace(/\s*\n\s*/g, ' ')}\n`)
  process.exitCode = 2
}

function parseCommandLine (argv) {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        shapes: { type: 'string', multiple: true },
        data: { type: 'string', multiple: true },
        'stock-sparql': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      },
      strict: true,
      allowPositionals: false
    })
  } catch (err) {
    throw new HarnessError(`${err.message}; ${USAGE}`)
  }
  const { values } = parsed
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    process.exit(0)
  }
  if (!values.shapes || values.shapes.length === 0) throw new HarnessError(`no --shapes file given; ${USAGE}`)
  if (!values.data || values.data.length === 0) throw new HarnessError(`no --data file given; ${USAGE}`)
  return { shapes: values.shapes, data: values.data, stockSparql: Boolean(values['stock-sparql']) }
}

// Parse Turtle files into one dataset (blank nodes stay distinct across files: n3 labels them
// with a process-wide counter). Relative IRIs resolve against the file's URL, as rdflib does.
function loadTurtle (files, dataset = rdfDataset.dataset()) {
  for (const file of files) {
    let text
    try {
      text = readFileSync(file, 'utf8')
    } catch (err) {
      throw new HarnessError(`cannot read ${file}: ${err.code || err.message}`)
    }
    let quads
    try {
      const parser = new Parser({ format: 'text/turtle', baseIRI: pathToFileURL(file).href })
      quads = parser.parse(text)
    } catch (err) {
      const line = err.context && err.context.line
      const where = line && !/ on line \d+/.test(err.message) ? ` (line ${line})` : ''
      throw new HarnessError(`cannot parse ${file}: ${err.message}${where}`)
    }
    for (const quad of quads) {
      dataset.add(rdfDataModel.quad(quad.subject, quad.predicate, quad.object))
    }
  }
  return dataset
}

function termToString (term) {
  if (!term) return null
  if (term.termType === 'BlankNode') return `_:${term.value}`
  return term.value
}

function compare (a, b) {
  return a < b ? -1 : a > b ? 1 : 0
}

// shacl-engine's parsed path: array of steps {quantifier, start, end, predicates}.
function pathToString (steps) {
  if (!steps || steps.length === 0) return null
  if (steps.length === 1 && steps[0].quantifier === 'one' && steps[0].start === 'subject' &&
      steps[0].predicates.length === 1) {
    return steps[0].predicates[0].value
  }
  return steps.map(step => {
    const iris = step.predicates.map(p => `<${p.value}>`)
    let s = iris.length > 1 ? `(${iris.join('|')})` : iris[0]
    if (step.start === 'object') s = `^${s}`
    if (step.quantifier === 'zeroOrMore') s += '*'
    else if (step.quantifier === 'oneOrMore') s += '+'
    else if (step.quantifier === 'zeroOrOne') s += '?'
    return s
  }).join('/')
}

// For a blank-node shape, find the nearest IRI shape that reaches it through sh:property.
// Breadth-first; among several IRIs at the same distance the smallest wins (deterministic).
function makeShapeNamer (shapes) {
  const property = rdfDataModel.namedNode(`${SH}property`)
  const cache = new Map()
  return term => {
    if (term.termType !== 'BlankNode') return termToString(term)
    const key = term.value
    if (cache.has(key)) return cache.get(key)
    let frontier = [term]
    const seen = new Set([key])
    let name = termToString(term)
    while (frontier.length > 0) {
      const parents = []
      for (const node of frontier) {
        for (const q of shapes.match(null, property, node)) parents.push(q.subject)
      }
      const iris = parents.filter(p => p.termType === 'NamedNode').map(p => p.value).sort(compare)
      if (iris.length > 0) {
        name = iris[0]
        break
      }
      frontier = parents.filter(p => {
        if (seen.has(p.value)) return false
        seen.add(p.value)
        return true
      })
    }
    cache.set(key, name)
    return name
  }
}

// shacl-engine reads these parameters with `.term`/`.value`, which is undefined when a shape has
// several values: two sh:pattern values then match everything, two sh:sparql constraints flag every
// focus node, two sh:hasValue values crash. SHACL allows several values for some of them (each is
// a separate constraint); with shacl-engine, put each in its own shape.
const SINGLE_VALUED = [
  'closed', 'datatype', 'deactivated', 'disjoint', 'equals', 'flags', 'hasValue', 'ignoredProperties',
  'in', 'languageIn', 'lessThan', 'lessThanOrEquals', 'maxCount', 'maxExclusive', 'maxInclusive',
  'maxLength', 'minCount', 'minExclusive', 'minInclusive', 'minLength', 'nodeKind', 'not', 'path',
  'pattern', 'qualifiedMaxCount', 'qualifiedMinCount', 'qualifiedValueShape',
  'qualifiedValueShapesDisjoint', 'select', 'severity', 'sparql', 'uniqueLang'
]

function checkSupported (shapes, shapeName) {
  const problems = []
  const describe = term => {
    const owner = shapeName(term)
    return term.termType === 'BlankNode' && owner !== termToString(term) ? `a blank node under <${owner}>` : `<${owner}>`
  }
  for (const local of SINGLE_VALUED) {
    const predicate = rdfDataModel.namedNode(`${SH}${local}`)
    const counts = new Map()
    for (const q of shapes.match(null, predicate, null)) {
      const key = termToString(q.subject)
      const entry = counts.get(key) || { term: q.subject, n: 0 }
      entry.n += 1
      counts.set(key, entry)
    }
    for (const { term, n } of counts.values()) {
      if (n > 1) problems.push(`${describe(term)} has ${n} values of sh:${local} (use one per shape)`)
    }
  }
  // shacl-engine ignores sh:deactivated on a SPARQL-based constraint (it still runs it).
  const deactivated = rdfDataModel.namedNode(`${SH}deactivated`)
  for (const q of shapes.match(null, rdfDataModel.namedNode(`${SH}sparql`), null)) {
    for (const d of shapes.match(q.object, deactivated, null)) {
      if (d.object.value === 'true') problems.push(`${describe(q.subject)} has a sh:sparql constraint with sh:deactivated true (remove the constraint instead)`)
    }
  }
  if (problems.length > 0) {
    throw new HarnessError(`shapes use constructs shacl-engine 1.1.2 would silently misvalidate: ${problems.sort().join('; ')}`)
  }
}

async function main () {
  const args = parseCommandLine(process.argv.slice(2))
  const shapesGiven = loadTurtle(args.shapes)
  const data = loadTurtle(args.data)

  // The shapes dataset the engine sees: shapes minus their rdfs:subClassOf, plus the data's.
  const subClassOf = rdfDataModel.namedNode(RDFS_SUBCLASSOF)
  const shapes = rdfDataset.dataset()
  for (const q of shapesGiven) {
    if (!q.predicate.equals(subClassOf)) shapes.add(q)
  }
  for (const q of data.match(null, subClassOf, null)) shapes.add(q)

  const shapeName = makeShapeNamer(shapes)
  checkSupported(shapes, shapeName)

  const options = { factory: rdfDataModel }
  // The SPARQL plugin pulls in Comunica (~0.35 s to load): only load it when it is needed.
  const needsSparql = shapes.match(null, rdfDataModel.namedNode(`${SH}sparql`), null).size > 0 ||
    shapes.match(null, rdfDataModel.namedNode(`${SH}target`), null).size > 0
  if (needsSparql) {
    // shacl-engine builds a new Comunica engine per focus node and constraint (~40 ms each);
    // lib/hooks.mjs makes those constructions return one shared engine. --stock-sparql skips this.
    if (!args.stockSparql) register('./lib/hooks.mjs', import.meta.url)
    const { targetResolvers, validations } = await import('shacl-engine/sparql.js')
    options.targetResolvers = targetResolvers
    options.validations = validations
  }

  let report
  try {
    const validator = new Validator(shapes, options)
    report = await validator.validate({ dataset: data })
  } catch (err) {
    throw new HarnessError(`validation failed (${args.shapes.join(', ')}): ${err.message}`)
  }

  const results = report.results.map(r => ({
    focusNode: termToString(r.focusNode && r.focusNode.term),
    shape: shapeName(r.shape.ptr.term),
    path: pathToString(r.path),
    component: termToString(r.constraintComponent),
    severity: termToString(r.severity),
    message: r.message.map(m => m.value),
    value: termToString(r.value && r.value.term)
  }))
  const key = r => [r.focusNode ?? '', r.shape ?? '', r.path ?? '', r.component ?? '', r.message.join('\n'), r.value ?? '']
  results.sort((a, b) => {
    const ka = key(a)
    const kb = key(b)
    for (let i = 0; i < ka.length; i++) {
      const c = compare(ka[i], kb[i])
      if (c !== 0) return c
    }
    return 0
  })

  const conforms = report.conforms
  process.stdout.write(JSON.stringify({ conforms, results }, null, 2) + '\n')
  process.exitCode = conforms ? 0 : 1
}

main().catch(err => {
  fail(err instanceof HarnessError ? err.message : `unexpected failure: ${err.stack || err}`)
})
