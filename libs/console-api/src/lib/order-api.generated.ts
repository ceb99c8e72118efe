// Generated from apps/order/openapi.json by `npm run order:openapi` (see openapi-types.ts): do not edit.

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
  '/orders': {
    get: {
      responses: {
        200: {
          content: {
            'application/json': {
              items: {
                id: string;
                customerId: string;
                status: 'PENDING' | 'CONFIRMED' | 'SHIPPED' | 'DELIVERED' | 'COMPENSATING' | 'REJECTED' | 'CANCELLED';
                lines: {
                  sku: string;
                  name: string;
                  quantity: number;
                  unitPriceCents: number;
                  lineTotalCents: number;
                }[];
                totalCents: number;
                currency: string;
                failureReason: string | null;
                timeline: {
                  at: string;
                  event: string;
                  command?: string;
                  attempt?: number;
                  reply?: string;
                  reason?: string;
                  ignored?: string;
                  waitingFor?: string;
                  until?: string;
                  why?: string;
                  [key: string]: unknown;
                }[];
                placedAt: string;
                updatedAt: string;
                version: number;
              }[];
              nextCursor: string | null;
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
        429: {
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
            lines: {
              sku: string;
              quantity: number;
            }[];
            shippingAddress: {
              name: string & string;
              street: string & string;
              city: string & string;
              postalCode: string & string;
              country: string;
            };
            paymentMethod: string & string;
          };
        };
      };
      responses: {
        202: {
          content: {
            'application/json': {
              orderId: string;
              status: 'PENDING' | 'CONFIRMED' | 'SHIPPED' | 'DELIVERED' | 'COMPENSATING' | 'REJECTED' | 'CANCELLED';
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
        413: {
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
        429: {
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
  '/orders/{id}': {
    get: {
      responses: {
        200: {
          content: {
            'application/json': {
              id: string;
              customerId: string;
              status: 'PENDING' | 'CONFIRMED' | 'SHIPPED' | 'DELIVERED' | 'COMPENSATING' | 'REJECTED' | 'CANCELLED';
              lines: {
                sku: string;
                name: string;
                quantity: number;
                unitPriceCents: number;
                lineTotalCents: number;
              }[];
              totalCents: number;
              currency: string;
              failureReason: string | null;
              timeline: {
                at: string;
                event: string;
                command?: string;
                attempt?: number;
                reply?: string;
                reason?: string;
                ignored?: string;
                waitingFor?: string;
                until?: string;
                why?: string;
                [key: string]: unknown;
              }[];
              placedAt: string;
              updatedAt: string;
              version: number;
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
        429: {
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
  '/orders/{id}/history': {
    get: {
      responses: {
        200: {
          content: {
            'application/json': {
              seq: number;
              type: string;
              status: 'PENDING' | 'CONFIRMED' | 'SHIPPED' | 'DELIVERED' | 'COMPENSATING' | 'REJECTED' | 'CANCELLED';
              data: {
                [key: string]: unknown;
              };
              at: string;
            }[];
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
        429: {
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
  '/orders/{id}/cancel': {
    post: {
      responses: {
        202: {
          content: {
            'application/json': {
              orderId: string;
              status: 'PENDING' | 'CONFIRMED' | 'SHIPPED' | 'DELIVERED' | 'COMPENSATING' | 'REJECTED' | 'CANCELLED';
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
        429: {
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
            }[];
          };
        };
      };
    };
  };
}

export interface components {
  schemas: Record<string, never>;
}
