import { z } from 'zod';

const func = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', {
  message: 'must be a function',
});

/** The zod schema of `ResourceServerConfig.profile` (a `TokenProfile`). */
export const tokenProfileSchema = z
  .strictObject({
    name: z.string().min(1),
    clientIdClaims: z.array(z.string().min(1)).min(1).optional(),
    notIssued: z.array(z.enum(['sub', 'client_id', 'iat'])).optional(),
    allowedClientIds: z.array(z.string().min(1)).optional(),
    audienceBinding: z.enum(['aud', 'client_id']).optional(),
    acceptIssuer: func.optional(),
    readScopes: func.optional(),
    checkClaims: func.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.audienceBinding === 'client_id' && !p.allowedClientIds?.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['allowedClientIds'],
        message:
          "audienceBinding 'client_id' binds tokens through the client id: list the accepted clients",
      });
    }
    if (p.audienceBinding === 'client_id' && p.notIssued?.includes('client_id')) {
      ctx.addIssue({
        code: 'custom',
        path: ['notIssued'],
        message: "audienceBinding 'client_id' needs the client_id claim",
      });
    }
  });
