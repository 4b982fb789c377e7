/** The OpenAPI paths of the Meta tag. */
export const metaPaths = {
  "/api/v1/openapi.json": {
    get: {
      operationId: "getOpenApiDescription",
      tags: ["Meta"],
      summary: "This description",
      security: [],
      responses: {
        "200": {
          description: "The OpenAPI 3.1 document.",
          content: { "application/json": { schema: { type: "object" } } },
        },
      },
    },
  },
};
