import type { TokenView } from './jwt-view.js';

/** What the observer learned along the way; the summary and the tests read it. */
export interface FlowFacts {
  /** Every HTTP exchange, in order, named by what it was. */
  readonly exchanges: {
    kind: ExchangeKind;
    method: string;
    url: string;
    status: number | undefined;
  }[];
  resourceMetadataUrl?: string;
  resource?: string;
  issuer?: string;
  clientId?: string;
  /** One per authorization request: what was asked for. */
  readonly authorizations: {
    scope: string | undefined;
    resource: string | undefined;
    method: string | undefined;
  }[];
  /** One per access token issued. */
  readonly tokens: TokenView[];
  /** Scopes named by 403 insufficient_scope challenges. */
  readonly stepUps: string[][];
  /** The server's own reasons for the refusals seen, in order. */
  readonly serverReasons: string[];
}

/** What an exchange was, judged from its URL, method and what discovery has revealed. */
export type ExchangeKind =
  | 'mcp'
  | 'resource-metadata'
  | 'as-metadata'
  | 'registration'
  | 'authorization'
  | 'token'
  | 'other';

export const newFlowFacts = (): FlowFacts => ({
  exchanges: [],
  authorizations: [],
  tokens: [],
  stepUps: [],
  serverReasons: [],
});
