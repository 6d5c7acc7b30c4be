import { createRequire } from 'node:module';

/**
 * The npm `open311` client (0.0.12, Code for America's node-open311), made to run on Node 24.
 *
 * It parses XML with two helpers of 2012 that no longer install: `sparkxml` (a git dependency,
 * not on the registry, bound to the native libxmljs) and `xml2json` 0.2.4 (bound to node-expat
 * 1.4.1, built with node-waf). package.json's `overrides` put @xmldom/xmldom — pure JavaScript,
 * no dependencies, no install script — under both names, and this module gives each the one
 * function the client calls: `sparkxml.parseXml` (the Spark convention,
 * http://wiki.open311.org/JSON_and_XML_Conversion) and `xml2json.toJson(xml, { object: true })`.
 * Everything else — the addresses, the query strings, the form it posts, the checks on status
 * codes, the JSON — is the client's own code.
 */

const fromClient = createRequire(createRequire(import.meta.url).resolve('open311'));

interface XmlNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<XmlNode>;
}
interface XmlDom {
  DOMParser: new (options?: {
    onError?: (level: string, message: string) => void;
  }) => {
    parseFromString(source: string, mimeType: string): { documentElement: XmlNode | null };
  };
}

const ELEMENT = 1;
const sparkxml = fromClient('sparkxml') as XmlDom & { parseXml?: (xml: string) => unknown };
const xml2json = fromClient('xml2json') as XmlDom & { toJson?: (xml: string, options?: { object?: boolean }) => unknown };

/** Parses a whole document strictly: any error or warning of the parser throws. */
export function parseXmlDocument(xml: string): XmlNode {
  const parser = new sparkxml.DOMParser({
    onError: (level, message) => {
      throw new Error(`XML ${level}: ${message}`);
    },
  });
  const root = parser.parseFromString(xml, 'text/xml').documentElement;
  if (!root) throw new Error('XML without a root element');
  return root;
}

const elementsOf = (node: XmlNode) => Array.from(node.childNodes).filter((n) => n.nodeType === ELEMENT);

/** "5.1" → 5.1, "true" → true, as sparkxml's parseTypes does. */
function typed(text: string): unknown {
  if (text.trim() !== '' && !Number.isNaN(Number(text))) return Number(text);
  if (/^true$/i.test(text)) return true;
  if (/^false$/i.test(text)) return false;
  return text;
}

/**
 * The Spark convention: an element without child elements is its text (null when empty); one
 * with a single child, or with children of a repeated name, is an array; otherwise an object.
 */
export function toSpark(node: XmlNode): unknown {
  const children = elementsOf(node);
  if (children.length === 0) return node.childNodes.length === 0 ? null : typed(node.textContent ?? '');
  const names = children.map((c) => c.nodeName);
  if (children.length === 1 || new Set(names).size < names.length) return children.map(toSpark);
  return Object.fromEntries(children.map((c) => [c.nodeName, toSpark(c)]));
}

/** xml2json's object form: an element is an object of its children (a repeated name an array), a leaf its text. */
function toObjectForm(node: XmlNode): unknown {
  const children = elementsOf(node);
  if (children.length === 0) return node.textContent ?? '';
  const out: Record<string, unknown> = {};
  for (const child of children) {
    const value = toObjectForm(child);
    const held = out[child.nodeName];
    out[child.nodeName] = held === undefined ? value : Array.isArray(held) ? [...held, value] : [held, value];
  }
  return out;
}

sparkxml.parseXml = (xml: string) => toSpark(parseXmlDocument(xml));
xml2json.toJson = (xml: string, options?: { object?: boolean }) => {
  const root = parseXmlDocument(xml);
  const value = { [root.nodeName]: toObjectForm(root) };
  return options?.object ? value : JSON.stringify(value);
};

type Callback = (err: unknown, data: unknown) => void;
export interface Open311Client {
  endpoint?: string;
  format: 'json' | 'xml';
  serviceDiscovery(options: { cache?: boolean }, callback: Callback): void;
  serviceList(callback: Callback): void;
  serviceDefinition(serviceCode: string, callback: Callback): void;
  submitRequest(data: Record<string, unknown>, callback: Callback): void;
  token(token: string, callback: Callback): void;
  serviceRequests(idOrParams: unknown, params: unknown, callback?: Callback): void;
  /** The same method under its other name. */
  serviceRequest(idOrParams: unknown, params: unknown, callback?: Callback): void;
}

export const Open311 = fromClient('open311') as new (options: {
  endpoint?: string;
  discovery?: string;
  format?: 'json' | 'xml';
  apiKey?: string;
  jurisdiction?: string;
}) => Open311Client;

/** A client call as a promise; the client's own error (it passes `true` or a status code) rejects with its message. */
export function call<T = unknown>(fn: (callback: Callback) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    fn((err, data) => (err ? reject(new Error(`open311 client: ${String(data)} (${String(err)})`)) : resolve(data as T)));
  });
}
