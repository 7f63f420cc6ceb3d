use clap::Parser;
use server::config::{Cli, Command};
use server::{StartError, bind, demo, open_store, serve};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), StartError> {
    let config = cli.settings.validate()?;
    let filter = EnvFilter::try_new(&config.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .init();
    tracing::debug!(?config, "configuration");

    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => {
            open_store(&config).await?;
            println!("database schema is up to date");
            Ok(())
        }
        Command::Demo => {
            let store = open_store(&config).await?;
            let media = server::open_media(&config)?;
            let loaded = demo::load(&store, media.as_ref())
                .await
                .map_err(StartError::Demo)?;
            if loaded {
                println!("演示数据已载入 · demo data loaded");
            } else {
                println!("演示数据此前已载入 · demo data was already loaded");
            }
            print!("{}", demo::accounts_help());
            Ok(())
        }
        Command::Serve => {
            // Bind first: a port in use should fail before anything is written.
            let listener = bind(&config).await?;
            let store = open_store(&config).await?;
            let addr = listener.local_addr().map_err(StartError::Serve)?;
            tracing::info!(database = %config.database_url, "listening on http://{addr}");
            println!(
                "网络学院 is running at {} (listening on {addr})",
                config.public_url
            );
            serve(&config, store, listener).await
        }
    }
}
