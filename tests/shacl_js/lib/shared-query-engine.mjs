// Stand-in for '@comunica/query-sparql-rdfjs-lite' as seen by shacl-engine (see hooks.mjs).
//
// shacl-engine's SPARQL plugin runs `new QueryEngine()` for every focus node of every sh:sparql
// constraint; building a Comunica engine costs ~30-50 ms, the query itself ~5 ms. A constructor
// that returns an object makes `new` yield that object, so every caller gets one shared engine.
// shacl-engine's own code is left untouched.
import { QueryEngine as ComunicaQueryEngine } from '@comunica/query-sparql-rdfjs-lite'

export * from '@comunica/query-sparql-rdfjs-lite'

let shared = null

export class QueryEngine {
  constructor () {
    if (shared === null) shared = new ComunicaQueryEngine()
    return shared
  }
}
