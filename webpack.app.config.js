/**
 * Shared webpack config of the five services (Nx's node target, tsc compiler): each app's
 * webpack.config.js calls this with its directory. node_modules stay external; the libs are
 * bundled from source through the tsconfig paths.
 */
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { basename, join } = require('path');

module.exports = (appDir) => ({
  output: {
    path: join(__dirname, 'dist/apps', basename(appDir)),
    clean: true,
    ...(process.env.NODE_ENV !== 'production' && {
      devtoolModuleFilenameTemplate: '[absolute-resource-path]',
    }),
  },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      sourceMap: true,
    }),
  ],
});
