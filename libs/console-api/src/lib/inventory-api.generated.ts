// Generated from apps/inventory/openapi.json by `npm run inventory:openapi` (see openapi-types.ts): do not edit.

export interface paths {
  '/health/live': {
    get: {
      responses: {
        200: {
          content: {
            'application/json': {
              status: 'ok';
            };
          };
        };
      };
    };
  };
  '/health/ready': {
    get: {
      responses: {
        200: {
          content: {
            'application/json': {
              status?: string;
              info?: {
                [key: string]: {
                  status: string;
                  [key: string]: unknown;
                };
              } | null;
              error?: {
                [key: string]: {
                  status: string;
                  [key: string]: unknown;
                };
              } | null;
              details?: {
                [key: string]: {
                  status: string;
                  [key: string]: unknown;
                };
              };
            };
          };
        };
        503: {
          content: {
            'application/json': {
              status?: string;
              info?: {
                [key: string]: {
                  status: string;
                  [key: string]: unknown;
                };
              } | null;
              error?: {
                [key: string]: {
                  status: string;
                  [key: string]: unknown;
                };
              } | null;
              details?: {
                [key: string]: {
                  status: string;
                  [key: string]: unknown;
                };
              };
            };
          };
        };
      };
    };
  };
  '/metrics': {
    get: {
      responses: {
        200: {
          content: {
            'text/plain; version=0.0.4; charset=utf-8': string;
          };
        };
      };
    };
  };
  '/stock-receipts': {
    post: {
      requestBody: {
        content: {
          'application/json': {
            receiptId: string;
            sku: string;
            quantity: number;
          };
        };
      };
      responses: {
        201: {
          content: {
            'application/json': {
              receiptId: string;
              sku: string;
              quantity: number;
              availableAfter: number;
              receivedAt: string;
            };
          };
        };
        400: {
          content: {
            'application/problem+json': {
              type: string;
              title: string;
              status: number;
              detail: string;
              instance: string;
              code: string;
              errors?: {
                field: string;
                message: string;
              }[];
              [key: string]: unknown;
            };
          };
        };
        401: {
          content: {
            'application/problem+json': {
              type: string;
              title: string;
              status: number;
              detail: string;
              instance: string;
              code: string;
              errors?: {
                field: string;
                message: string;
              }[];
              [key: string]: unknown;
            };
          };
        };
        403: {
          content: {
            'application/problem+json': {
              type: string;
              title: string;
              status: number;
              detail: string;
              instance: string;
              code: string;
              errors?: {
                field: string;
                message: string;
              }[];
              [key: string]: unknown;
            };
          };
        };
        404: {
          content: {
            'application/problem+json': {
              type: string;
              title: string;
              status: number;
              detail: string;
              instance: string;
              code: string;
              errors?: {
                field: string;
                message: string;
              }[];
              [key: string]: unknown;
            };
          };
        };
        409: {
          content: {
            'application/problem+json': {
              type: string;
              title: string;
              status: number;
              detail: string;
              instance: string;
              code: string;
              errors?: {
                field: string;
                message: string;
              }[];
              [key: string]: unknown;
            };
          };
        };
        422: {
          content: {
            'application/problem+json': {
              type: string;
              title: string;
              status: number;
              detail: string;
              instance: string;
              code: string;
              errors?: {
                field: string;
                message: string;
              }[];
              [key: string]: unknown;
            };
          };
        };
      };
    };
  };
  '/products': {
    get: {
      responses: {
        200: {
          content: {
            'application/json': {
              sku: string;
              name: string;
              priceCents: number;
              currency: string;
              available: number;
              reserved: number;
            }[];
          };
        };
        401: {
          content: {
            'application/problem+json': {
              type: string;
              title: string;
              status: number;
              detail: string;
              instance: string;
              code: string;
              errors?: {
                field: string;
                message: string;
              }[];
              [key: string]: unknown;
            };
          };
        };
        403: {
          content: {
            'application/problem+json': {
              type: string;
              title: string;
              status: number;
              detail: string;
              instance: string;
              code: string;
              errors?: {
                field: string;
                message: string;
              }[];
              [key: string]: unknown;
            };
          };
        };
      };
    };
    post: {
      requestBody: {
        content: {
          'application/json': {
            sku: string;
            name: string & string;
            priceCents: number;
            currency: string;
          };
        };
      };
      responses: {
        201: {
          content: {
            'application/json': {
              sku: string;
              name: string;
              priceCents: number;
              currency: string;
              available: number;
              reserved: number;
            };
          };
        };
        400: {
          content: {
            'application/problem+json': {
              type: string;
              title: string;
              status: number;
              detail: string;
              instance: string;
              code: string;
              errors?: {
                field: string;
                message: string;
              }[];
              [key: string]: unknown;
            };
          };
        };
        401: {
          content: {
            'application/problem+json': {
              type: string;
              title: string;
              status: number;
              detail: string;
              instance: string;
              code: string;
              errors?: {
                field: string;
                message: string;
              }[];
              [key: string]: unknown;
            };
          };
        };
        403: {
          content: {
            'application/problem+json': {
              type: string;
              title: string;
              status: number;
              detail: string;
              instance: string;
              code: string;
              errors?: {
                field: string;
                message: string;
              }[];
              [key: string]: unknown;
            };
          };
        };
        409: {
          content: {
            'application/problem+json': {
              type: string;
              title: string;
              status: number;
              detail: string;
              instance: string;
              code: string;
              errors?: {
                field: string;
                message: string;
              }[];
              [key: string]: unknown;
            };
          };
        };
      };
    };
  };
}

export interface components {
  schemas: Record<string, never>;
}
