##@ Dashboards

.PHONY: dashboards
dashboards: node_modules ## Generate the Grafana dashboards into dashboards/build/<uid>.json (for cdk8s).
	npx --no-install tsx dashboards/build.ts

.PHONY: dashboards-test
dashboards-test: node_modules dashboards ## Unit-test the dashboards: schema, grid, datasources, macros, cdk8s ConfigMap.
	npx --no-install vitest run --project unit dashboards
