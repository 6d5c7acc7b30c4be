/**
 * The JSON API, its documents, the gateways' callbacks (/channels/…) and Open311 GeoReport v2
 * (/open311/…); every other address belongs to the portal, which answers pages.
 */
export const isApiPath = (path: string): boolean =>
  path === '/api' ||
  path.startsWith('/api/') ||
  path === '/openapi.json' ||
  path === '/healthz' ||
  path.startsWith('/channels/') ||
  path === '/open311' ||
  path.startsWith('/open311/') ||
  path === '/docs' ||
  path.startsWith('/docs/');
