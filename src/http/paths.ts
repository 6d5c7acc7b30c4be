/** The JSON API and its documents; every other address belongs to the portal, which answers pages. */
export const isApiPath = (path: string): boolean =>
  path === '/api' ||
  path.startsWith('/api/') ||
  path === '/openapi.json' ||
  path === '/healthz' ||
  path === '/docs' ||
  path.startsWith('/docs/');
