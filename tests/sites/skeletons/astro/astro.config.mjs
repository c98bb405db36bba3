import mdx from "@astrojs/mdx";
import { defineConfig } from "astro/config";

// cacheDir: node_modules is shared between test builds (a symlink), the cache must not be
export default defineConfig({ integrations: [mdx()], cacheDir: "./.astro-cache" });
