// Module resolution hook (registered by validate.mjs with node:module register()): when code inside
// shacl-engine imports Comunica, hand it shared-query-engine.mjs instead. Everything else resolves
// normally, including shared-query-engine.mjs's own import of the real package.
const COMUNICA = '@comunica/query-sparql-rdfjs-lite'
const SHIM = new URL('./shared-query-engine.mjs', import.meta.url).href

export async function resolve (specifier, context, nextResolve) {
  if (specifier === COMUNICA && context.parentURL && context.parentURL.includes('/node_modules/shacl-engine/')) {
    return { url: SHIM, shortCircuit: true }
  }
  return nextResolve(specifier, context)
}
