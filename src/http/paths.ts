/** The JSON API, its documents and the gateways' callbacks (/channels/…); every other address belongs to the portal, which answers pages. */
export const isApiPath = (path: string): boolean =>
  path === '/api' ||
  path.startsWith('/api/') ||
  path === '/openapi.json' ||
  path === '/healthz' ||
  path.startsWith('/channels/') ||
  path === '/docs' ||
  path.startsWith('/docs/');
