/* Stops the preview server started by global-setup.js. */
module.exports = async () => {
  const server = globalThis.__PERFSHEET_SERVER__;
  if (server) await new Promise((resolve) => server.close(resolve));
};
