//! Ruby, PHP and Elixir projects.

use super::*;

#[test]
fn ruby_projects() {
    let ps = projects(&[
        (
            "app/Gemfile",
            "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem \"puma\"\n",
        ),
        ("app/config/application.rb", "require 'rails'\n"),
        ("app/config/puma.rb", "port ENV.fetch(\"PORT\") { 3000 }\n"),
        ("gem/Gemfile", "source 'https://rubygems.org'\ngemspec\n"),
        ("rack/config.ru", "run ->(env) { [200, {}, ['ok']] }\n"),
        ("sin/Gemfile", "gem 'sinatra'\n"),
    ]);
    let app = at(&ps, "app");
    assert_eq!(app.role, ProjectRole::Service);
    assert_eq!(app.reason, "Rails (config/application.rb)");
    assert_eq!(app.line, 2);
    assert_eq!(app.ports, vec![3000]);
    assert_eq!(at(&ps, "gem").role, ProjectRole::Library);
    assert_eq!(at(&ps, "rack").role, ProjectRole::Service);
    assert_eq!(at(&ps, "rack").manifest, "rack/config.ru");
    assert_eq!(at(&ps, "sin").frameworks, vec!["sinatra"]);
}

#[test]
fn php_projects() {
    let ps = projects(&[
        ("shop/composer.json", "{\n  \"name\": \"acme/shop\",\n  \"require\": {\n    \"php\": \"^8.2\",\n    \"laravel/framework\": \"^11\"\n  }\n}\n"),
        ("shop/artisan", "#!/usr/bin/env php\n"),
        ("pkg/composer.json", r#"{"name":"acme/pkg","type":"library","require":{"symfony/framework-bundle":"7"}}"#),
        ("site/composer.json", r#"{"name":"acme/site","require":{"slim/slim":"4"}}"#),
        ("site/public/index.php", "<?php\n"),
        ("board/composer.json", r#"{"name":"acme/board","require":{"php":">=8.1","ext-pdo":"*"}}"#),
        ("board/index.php", "<?php\n"),
        ("lib/composer.json", r#"{"name":"acme/lib","type":"library"}"#),
        ("lib/index.php", "<?php\n"),
        ("plain/composer.json", r#"{"name":"acme/plain"}"#),
    ]);
    // A front controller at the package root, older PHP app layout.
    assert_eq!(at(&ps, "board").role, ProjectRole::Service);
    assert!(at(&ps, "board").web);
    assert_eq!(at(&ps, "lib").role, ProjectRole::Library);
    assert_eq!(at(&ps, "plain").role, ProjectRole::Library);
    let shop = at(&ps, "shop");
    assert_eq!(shop.role, ProjectRole::Service);
    assert_eq!(shop.name, "shop");
    assert_eq!(shop.reason, "Laravel (artisan)");
    assert_eq!(shop.line, 5);
    assert_eq!(at(&ps, "pkg").role, ProjectRole::Library);
    assert_eq!(at(&ps, "site").reason, "slim app (public/index.php)");
}

#[test]
fn elixir_projects() {
    let ps = projects(&[
        ("mix.exs", "defmodule Umbrella.MixProject do\n  def project do\n    [apps_path: \"apps\"]\n  end\nend\n"),
        ("apps/web/mix.exs", "def project, do: [app: :shop_web]\ndefp deps do\n  [{:phoenix, \"~> 1.7\"}]\nend\n"),
        ("apps/core/mix.exs", "def project, do: [app: :core]\ndef application do\n  [mod: {Core.Application, []}]\nend\n"),
        ("lib/mix.exs", "def project, do: [app: :thing, package: package()]\ndef application, do: [mod: {Thing.App, []}]\n"),
    ]);
    assert_eq!(at(&ps, "").role, ProjectRole::WorkspaceRoot);
    let web = at(&ps, "apps/web");
    assert_eq!(web.role, ProjectRole::Service);
    assert_eq!(web.name, "shop_web");
    assert_eq!(web.line, 3);
    assert!(web.web);
    assert_eq!(at(&ps, "apps/core").role, ProjectRole::Service);
    assert_eq!(at(&ps, "lib").role, ProjectRole::Library);
}
