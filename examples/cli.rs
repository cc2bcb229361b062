//! A small command line: check an email, or log in and print a token. The password is read
//! from standard input, never from the command line (where `ps` and shell history see it).
//!
//! ```text
//! cargo run --example cli -- exists alice@example.com
//! printf '%s\n' 'S3cret-pass!' | cargo run --example cli -- token alice@example.com
//! cargo run --example cli -- session alice@example.com     # asks for the password
//! ```
//!
//! It talks to `MEDUSA_BACKEND_URL`, or to the crate's stand-in server when that is unset.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use medusa_store_auth::mock::MockStore;
use medusa_store_auth::v1::types::StorePostAuthReq;
use medusa_store_auth::v1::AuthClient;
use medusa_store_auth::{Config, Error, InvalidInput};

const USAGE: &str =
    "usage: cli exists <email> | cli token <email> | cli session <email>   (password on stdin)";

/// One line of standard input, without its line ending.
fn read_password() -> Result<String, Error> {
    let read = || -> std::io::Result<String> {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            eprint!("password: ");
            std::io::stderr().flush()?;
        }
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    };
    read().map_err(|e| {
        Error::InvalidInput(InvalidInput::Request {
            reason: format!("reading the password: {e}"),
        })
    })
}

async fn run(client: &AuthClient, command: &str, email: &str) -> Result<(), Error> {
    match command {
        "exists" => {
            let exists = client.exists(email).await?.exists;
            println!(
                "{email}: {}",
                if exists {
                    "registered"
                } else {
                    "not registered"
                }
            );
        }
        "token" => {
            let password = read_password()?;
            let token = client
                .get_token(&StorePostAuthReq::new(email, password))
                .await?;
            // Printing the token is this command's job; everything else prints it redacted.
            println!("{}", token.access_token.expose());
        }
        "session" => {
            let password = read_password()?;
            let session = client
                .authenticate(&StorePostAuthReq::new(email, password))
                .await?;
            let customer = session.customer;
            println!(
                "logged in: {} {} <{}> ({})",
                customer.first_name.unwrap_or_default(),
                customer.last_name.unwrap_or_default(),
                customer.email,
                customer.id
            );
            client.delete_session().await?;
            println!("logged out");
        }
        _ => unreachable!("checked in main"),
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [command, email] = args.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    if !["exists", "token", "session"].contains(&command.as_str()) {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let (_store, base_url) = match std::env::var("MEDUSA_BACKEND_URL") {
        Ok(url) => (None, url),
        Err(_) => {
            let store = MockStore::start().await;
            let url = store.base_url().to_string();
            eprintln!("(MEDUSA_BACKEND_URL is not set: using the crate's stand-in server)");
            (Some(store), url)
        }
    };
    let client = match AuthClient::new(Config::new().with_base_url(base_url)) {
        Ok(client) => client,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match run(&client, command, email).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is_unauthorized() => {
            eprintln!("error: wrong email or password");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
