from standardgen.cli import main

# The guard matters: letter batches start worker processes with "spawn", which imports this
# module again in every worker.
if __name__ == "__main__":
    main()
