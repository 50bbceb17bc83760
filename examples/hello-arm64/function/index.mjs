export const handler = async (event) => ({
  statusCode: 200,
  body: JSON.stringify({ message: `hello from ${process.arch}`, input: event }),
});
