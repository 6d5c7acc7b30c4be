import { createHmac } from 'node:crypto';
import type { XConfig } from '../../config.ts';
import type { ChatMessage } from '../notifications/outbox.ts';
import { MalformedMessage } from './chat-message.ts';
import { PLATFORM_TIMEOUT_MS, isRecord, jsonOf, platformError, sameSecret, stringOf } from './media.ts';

/**
 * X through the Account Activity API (issue 11 §5): the CRC answer and the signature on every
 * POST, a mention of the national account with #lapor read into a report, and the reply tweet
 * through API v2 (`POST /2/tweets` with `reply.in_reply_to_tweet_id`).
 */

// ---- verify ----

/** The CRC answer: `sha256=` + base64(HMAC-SHA256(consumer secret, crc_token)). */
export function crcResponseToken(consumerSecret: string, crcToken: string): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(crcToken).digest('base64')}`;
}

/** `x-twitter-webhooks-signature`: the same HMAC over the raw body, compared in constant time. */
export function xSignatureValid(consumerSecret: string, rawBody: Uint8Array, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  return sameSecret(header, `sha256=${createHmac('sha256', consumerSecret).update(rawBody).digest('base64')}`);
}

// ---- parse ----

/** One tweet of a `tweet_create_events` delivery, as the intake stores it. */
export interface XItem {
  tweetId: string;
  authorId: string | null;
  text: string | null;
  raw: { for_user_id: string; user_has_blocked: unknown; tweet: Record<string, unknown> };
}

export interface XWebhook {
  tweets: XItem[];
  /** What could not be understood, for the 400 answer. */
  problems: string[];
  /** Event kinds delivered that are not tweets (likes, follows…): answered 200 and not stored. */
  others: string[];
}

/** Throws MalformedMessage when the body is not an Account Activity delivery for the national account. */
export function parseXWebhook(body: unknown, config: XConfig): XWebhook {
  if (!isRecord(body)) throw new MalformedMessage('not an Account Activity event: the body is not a JSON object');
  const forUser = stringOf(body.for_user_id);
  if (!forUser) throw new MalformedMessage('not an Account Activity event: no "for_user_id"');
  if (forUser !== config.accountId) throw new MalformedMessage(`for_user_id ${forUser.slice(0, 30)} is not the national account`);
  const out: XWebhook = {
    tweets: [],
    problems: [],
    others: Object.keys(body).filter((k) => k.endsWith('_events') && k !== 'tweet_create_events'),
  };
  if (body.tweet_create_events === undefined) return out;
  if (!Array.isArray(body.tweet_create_events)) throw new MalformedMessage('"tweet_create_events" is not an array');
  for (const tweet of body.tweet_create_events) {
    const id = isRecord(tweet) ? stringOf(tweet.id_str) : null;
    if (!id || !isRecord(tweet)) {
      out.problems.push('a tweet without "id_str"');
      continue;
    }
    const user = isRecord(tweet.user) ? tweet.user : null;
    out.tweets.push({
      tweetId: id.slice(0, 40),
      authorId: user ? stringOf(user.id_str) : null,
      text: fullText(tweet),
      raw: { for_user_id: forUser, user_has_blocked: body.user_has_blocked ?? null, tweet },
    });
    if (!user || !stringOf(user.id_str)) out.problems.push(`tweet ${id.slice(0, 40)} has no "user.id_str"`);
  }
  return out;
}

/** The whole text: a long tweet's lives in `extended_tweet.full_text`. */
function fullText(tweet: Record<string, unknown>): string | null {
  const extended = isRecord(tweet.extended_tweet) ? stringOf(tweet.extended_tweet.full_text) : null;
  return extended ?? stringOf(tweet.full_text) ?? stringOf(tweet.text);
}

function entitiesOf(tweet: Record<string, unknown>): Record<string, unknown> {
  if (isRecord(tweet.extended_tweet) && isRecord(tweet.extended_tweet.entities)) return tweet.extended_tweet.entities;
  return isRecord(tweet.entities) ? tweet.entities : {};
}

export type TweetReading =
  | { kind: 'report'; text: string; authorId: string; authorName: string | null; screenName: string | null }
  | { kind: 'ignored'; reason: string };

/**
 * What a stored tweet is: a report when it mentions the national account with #lapor (its text
 * without the mentions at its start, the account's mention and the hashtag), and otherwise kept
 * with the reason: the account's own tweet, a retweet, a mention without #lapor, a tweet from a
 * user the account blocked.
 */
export function readTweet(raw: Record<string, unknown>, account: { id: string; screenName: string | null }): TweetReading {
  const tweet = isRecord(raw.tweet) ? raw.tweet : null;
  if (!tweet) throw new MalformedMessage('no tweet in the stored body');
  const user = isRecord(tweet.user) ? tweet.user : null;
  const authorId = user ? stringOf(user.id_str) : null;
  if (!authorId) throw new MalformedMessage('the tweet has no author');
  if (authorId === account.id) return { kind: 'ignored', reason: 'the national account’s own tweet' };
  if (tweet.retweeted_status !== undefined && tweet.retweeted_status !== null) return { kind: 'ignored', reason: 'a retweet' };
  if (raw.user_has_blocked === true || raw.user_has_blocked === 'true')
    return { kind: 'ignored', reason: 'from a user the national account has blocked' };
  const entities = entitiesOf(tweet);
  const mentions = (Array.isArray(entities.user_mentions) ? entities.user_mentions : []).filter(isRecord);
  const accountMention = mentions.find(
    (m) =>
      stringOf(m.id_str) === account.id ||
      (account.screenName !== null && stringOf(m.screen_name)?.toLowerCase() === account.screenName.toLowerCase()),
  );
  if (!accountMention) return { kind: 'ignored', reason: 'does not mention the national account' };
  const text = fullText(tweet) ?? '';
  const hashtags = (Array.isArray(entities.hashtags) ? entities.hashtags : []).filter(isRecord);
  const tagged = hashtags.length > 0 ? hashtags.some((h) => stringOf(h.text)?.toLowerCase() === 'lapor') : /(^|\s)#lapor\b/i.test(text);
  if (!tagged) return { kind: 'ignored', reason: 'a mention without #lapor' };
  const screenName = stringOf(accountMention.screen_name) ?? account.screenName;
  return {
    kind: 'report',
    text: reportText(text, screenName),
    authorId,
    authorName: user ? stringOf(user.name) : null,
    screenName: user ? stringOf(user.screen_name) : null,
  };
}

/** "@lapor1708 @pemkot Jalan rusak … #lapor" → "@pemkot Jalan rusak …": the account's mention and the hashtag go, other words stay. */
export function reportText(text: string, accountScreenName: string | null): string {
  let out = text.replace(/(^|\s)#lapor\b/gi, ' ');
  if (accountScreenName) {
    const name = accountScreenName.replace(/[^\w]/g, '');
    out = out.replace(new RegExp(`(^|\\s)@${name}\\b`, 'gi'), ' ');
  }
  return out.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\s+/g, ' ').trim();
}

// ---- send ----

/** The request body of a reply tweet, as API v2 documents it. */
export function tweetBody(message: ChatMessage): Record<string, unknown> {
  return { text: message.text, ...(message.to.replyTo ? { reply: { in_reply_to_tweet_id: message.to.replyTo } } : {}) };
}

export async function sendTweet(config: XConfig, message: ChatMessage): Promise<{ id: string }> {
  // A message on X is a public reply under the reporter's tweet; without one it would be a tweet to nobody.
  if (!message.to.replyTo) throw platformError('an X message needs the tweet it replies to', { permanent: true });
  const res = await fetch(`${config.apiUrl}/2/tweets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${config.bearerToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(tweetBody(message)),
    signal: AbortSignal.timeout(PLATFORM_TIMEOUT_MS),
  });
  const body = await jsonOf(res);
  const id = isRecord(body?.data) ? stringOf(body.data.id) : null;
  if (res.ok && id) return { id };
  const detail = stringOf(body?.detail) ?? stringOf(body?.title) ?? '';
  // 400/403/404: the text or the reply is refused (a duplicate, a deleted tweet, a user who limits
  // replies); 401 (a token to renew), 429 and 5xx pass with time.
  throw platformError(`X answered ${res.status}: ${detail}`.trim(), {
    status: res.status,
    permanent: res.status === 400 || res.status === 403 || res.status === 404,
  });
}
